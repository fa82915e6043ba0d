package dev.weir.agent.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.render.PodInterface;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery against real devices and routes in a throwaway node namespace ({@code wd-} prefix), read through the
 * agent's command runner inside it, with a CNI cache directory written as libcni writes it. Pods: a routed one (a
 * veth with a /32 and a /128 host route, Calico's shape), a bridge port with a random {@code veth} name and its cache
 * entry (flannel's), and the doubtful ones that must stay unknown.
 */
class HostInterfaceDiscoveryKernelTest {

    private static final ObjectKey ROUTED = ObjectKey.pod("dev", "routed");
    private static final ObjectKey BRIDGED = ObjectKey.pod("dev", "bridged");
    private static final ObjectKey STALE = ObjectKey.pod("dev", "stale");
    private static final ObjectKey IMPOSTOR_TARGET = ObjectKey.pod("dev", "target");
    private static final ObjectKey SHARER_1 = ObjectKey.pod("dev", "sharer-1");
    private static final ObjectKey SHARER_2 = ObjectKey.pod("dev", "sharer-2");

    @TempDir
    Path cacheDir;
    private Netns netns;
    private String node;
    private HostInterfaceDiscovery discovery;

    @BeforeEach
    void node() {
        Netns.assumeRootWithIp();
        netns = new Netns();
        node = netns.create("node");
        netns.ip(node, "link", "add", "cni0", "type", "bridge");
        netns.ip(node, "link", "set", "cni0", "up");
        netns.ip(node, "addr", "add", "10.251.1.1/24", "dev", "cni0");
        discovery = new HostInterfaceDiscovery(netns.runner(node), new CniResultCache(cacheDir));
    }

    @AfterEach
    void removeNamespaces() {
        if (netns != null) {
            netns.close();
        }
    }

    private static Map<ObjectKey, List<IpAddress>> pods(Object... keyAndIps) {
        Map<ObjectKey, List<IpAddress>> out = new TreeMap<>();
        for (int i = 0; i < keyAndIps.length; i += 2) {
            out.put((ObjectKey) keyAndIps[i],
                    Arrays.stream(((String) keyAndIps[i + 1]).split(",")).map(IpAddress::parse).sorted().toList());
        }
        return out;
    }

    /** flannel's bridge plugin names host veths {@code veth} + 8 random hex digits. */
    private static String randomVeth() {
        return "veth" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /** A pod namespace behind a new port of cni0; returns the port's name and writes nothing else. */
    private String bridgePort(String role, String mac[]) {
        String pod = netns.create(role);
        String veth = randomVeth();
        mac[0] = netns.veth(node, pod, veth);
        netns.ip(node, "link", "set", veth, "master", "cni0");
        return veth;
    }

    private void cacheEntry(String containerId, String namespace, String pod, String veth, String ip, String mac)
            throws Exception {
        Files.writeString(cacheDir.resolve(CniCacheFiles.name(containerId)),
                CniCacheFiles.flannel(containerId, namespace, pod, veth, ip, mac), StandardCharsets.UTF_8);
    }

    @Test
    void aRoutedPodIsFoundByItsIpv4AndIpv6HostRoutes() throws Exception {
        String pod = netns.create("routed");
        netns.veth(node, pod, "cali1a2b3c4d5e6");
        netns.ip(node, "route", "add", "10.251.0.5/32", "dev", "cali1a2b3c4d5e6");
        netns.ip(node, "-6", "route", "add", "fd00:251::5/128", "dev", "cali1a2b3c4d5e6");

        Discovery d = discovery.discover(pods(ROUTED, "10.251.0.5,fd00:251::5"));

        assertThat(d.bindings().bound()).containsExactly(Map.entry(ROUTED, PodInterface.routed("cali1a2b3c4d5e6")));
        assertThat(d.bindings().unknown()).isEmpty();
        assertThat(d.seen().hostRoutes()).contains("10.251.0.5 dev cali1a2b3c4d5e6", "fd00:251::5 dev cali1a2b3c4d5e6");
    }

    @Test
    void aBridgedPodIsFoundByItsCacheEntryAndThePortTheKernelShows() throws Exception {
        String[] mac = new String[1];
        String veth = bridgePort("bridged", mac);
        cacheEntry("a1b2c3d4e5f6a7b8c9d0", "dev", "bridged", veth, "10.251.1.5", mac[0].toUpperCase());

        Discovery d = discovery.discover(pods(BRIDGED, "10.251.1.5"));

        assertThat(d.bindings().bound()).containsExactly(Map.entry(BRIDGED, PodInterface.bridgePort(veth, mac[0])));
        assertThat(d.seen().cacheFiles()).singleElement().asString().startsWith("cbr0-a1b2c3d4e5f6a7b8c9d0-eth0 ");
    }

    @Test
    void doubtfulClaimsBindNothingAndAMalformedFileIsIgnored() throws Exception {
        // a cache entry whose port is gone (the sandbox died, the file stayed)
        cacheEntry("dead0000dead0000", "dev", "stale", "veth0dead0ff", "10.251.1.7", "0a:58:0a:fb:01:07");
        // a cache entry naming another pod, with the address and the real port of dev/target
        String[] mac = new String[1];
        String targetPort = bridgePort("target", mac);
        cacheEntry("0ther0000000ffff", "dev", "impostor", targetPort, "10.251.1.8", mac[0]);
        // two pods routed out of one device
        String sharers = netns.create("sharers");
        netns.veth(node, sharers, "calishared0001");
        netns.ip(node, "route", "add", "10.251.0.9/32", "dev", "calishared0001");
        netns.ip(node, "route", "add", "10.251.0.10/32", "dev", "calishared0001");
        // and files that are no pod's cache entry
        Files.writeString(cacheDir.resolve("cbr0-broken-eth0"), "{\"kind\":\"cniCacheV1\",\"containerId\":");
        Files.write(cacheDir.resolve("cbr0-binary-eth0"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        Files.createDirectory(cacheDir.resolve("a-directory"));

        Discovery d = discovery.discover(pods(STALE, "10.251.1.7", IMPOSTOR_TARGET, "10.251.1.8",
                SHARER_1, "10.251.0.9", SHARER_2, "10.251.0.10"));

        assertThat(d.bindings().bound()).isEmpty();
        assertThat(d.bindings().unknown()).containsOnlyKeys(STALE, IMPOSTOR_TARGET, SHARER_1, SHARER_2);
        assertThat(d.bindings().unknown().get(STALE)).contains("veth0dead0ff", "gone from the node");
        assertThat(d.bindings().unknown().get(IMPOSTOR_TARGET)).isEqualTo(InterfaceMatcher.NOTHING_FOUND);
        assertThat(d.bindings().unknown().get(SHARER_1)).contains("calishared0001", "claimed by several pods");
        assertThat(d.bindings().unknown().get(SHARER_2)).contains("calishared0001", "claimed by several pods");
    }

    @Test
    void theScanChangesWhenAPodsRouteOrCacheEntryAppears() throws Exception {
        Fingerprint empty = discovery.scan();
        Discovery before = discovery.discover(pods(ROUTED, "10.251.0.5"));
        assertThat(before.seen()).isEqualTo(empty);
        assertThat(before.bindings().unknown()).containsOnlyKeys(ROUTED);

        String pod = netns.create("late");
        netns.veth(node, pod, "cali0late00001");
        netns.ip(node, "route", "add", "10.251.0.5/32", "dev", "cali0late00001");
        Fingerprint routed = discovery.scan();
        assertThat(routed).isNotEqualTo(empty);

        cacheEntry("1ate0000000000aa", "dev", "other", "veth00000000", "10.251.1.99", "0a:58:0a:fb:01:63");
        assertThat(discovery.scan()).isNotEqualTo(routed);
        assertThat(discovery.discover(pods(ROUTED, "10.251.0.5")).bindings().bound())
                .containsExactly(Map.entry(ROUTED, PodInterface.routed("cali0late00001")));
    }

    @Test
    void aMissingCacheDirectoryIsAnEmptyCache() throws Exception {
        HostInterfaceDiscovery noCache = new HostInterfaceDiscovery(netns.runner(node),
                new CniResultCache(cacheDir.resolve("absent")));

        assertThat(noCache.scan().cacheFiles()).isEmpty();
        assertThat(noCache.discover(pods(BRIDGED, "10.251.1.5")).bindings().unknown()).containsOnlyKeys(BRIDGED);
    }
}
