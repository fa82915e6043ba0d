package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.apply.Cleanup;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.render.BridgeRules;
import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.EbtablesScript;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.PodInterface;
import dev.weir.iptables.render.Ruleset;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Layer-2 spoofing between pods on one bridge, with real frames. A node namespace holds {@code cni0}
 * (10.244.1.1/24, flannel's shape) with three pods on veth ports: a (victim, 10.244.1.2), b (10.244.1.4) and c
 * (attacker, 10.244.1.3). The applier installs what {@link BridgeRules} renders for them and nothing else (no
 * iptables rules), so what is tested is layer 2 alone. The attacks: c adds a's address to its {@code eth0} and sends
 * from it (its ARP then names a's address with c's MAC), and c changes its MAC (to a random one, or to a's). With the
 * rules, no neighbour table and no bridge forwarding entry moves a to c and a keeps getting its replies; without them
 * ({@code …WithoutTheRules…}) the same attacks take a's replies, which shows the rules are what stops them.
 */
class BridgeSpoofingKernelTest {

    private static final String NODE = "n1";
    private static final String GATEWAY = "10.244.1.1";
    private static final String GATEWAY_MAC = "02:00:0a:f4:01:01";
    private static final String A_IP = "10.244.1.2";
    private static final String A_MAC = "02:00:0a:f4:01:02";
    private static final String C_IP = "10.244.1.3";
    private static final String C_MAC = "02:00:0a:f4:01:03";
    private static final String B_IP = "10.244.1.4";
    private static final String B_MAC = "02:00:0a:f4:01:04";
    private static final int ECHO = 7000;
    private static final int CLIENT_PORT = 40000;
    private static final int WAIT_MS = 600;
    private static final Pattern LLADDR = Pattern.compile("lladdr (\\S+)");

    private Kernel kernel;
    private String node;
    private String a;
    private String b;
    private String c;
    private NamespaceCommandRunner nodeRunner;
    private DataplaneApplier applier;
    private Ruleset guarded;
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final Map<String, NetworkNamespace> namespaces = new HashMap<>();
    private final Map<String, NamespaceCommandRunner> runners = new HashMap<>();
    private DatagramSocket echo;

    @BeforeEach
    void wire() throws Exception {
        Kernel.assumeKernelTools("ebtables-nft-restore", "ebtables-nft-save", "bridge");
        kernel = new Kernel("wl2-");
        node = kernel.create("node");
        a = kernel.create("a");
        b = kernel.create("b");
        c = kernel.create("c");
        for (String pod : List.of(a, b, c)) {
            // IPv4 only: a pod's IPv6 router solicitations (sent for ever, with backoff) would re-teach the bridge its
            // MAC at random moments, and the forwarding-table checks want the attacker's frames to be the last word
            runners.computeIfAbsent(pod, kernel::runner).run(List.of("sysctl", "-q", "-w",
                    "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")).orThrow();
        }
        kernel.bridge(node, "cni0", GATEWAY_MAC, GATEWAY + "/24");
        kernel.bridgedPod(node, "cni0", a, "va", A_IP, GATEWAY, A_MAC);
        kernel.bridgedPod(node, "cni0", b, "vb", B_IP, GATEWAY, B_MAC);
        kernel.bridgedPod(node, "cni0", c, "vc", C_IP, GATEWAY, C_MAC);
        nodeRunner = kernel.runner(node);
        guarded = ruleset();
        assertThat(guarded.bridge().chains()).as("a chain per pod and the dispatch chain").hasSize(4);
        applier = new DataplaneApplier(nodeRunner, IptablesBackend.NFT);
        applier.apply(guarded);
        echo = socket(node, GATEWAY, ECHO);
        // a's own traffic first: the node and b learn a's MAC from a's ARP
        assertThat(awaitRoundTrip(a)).as("a reaches the node before any attack").isTrue();
        send(socket(a, A_IP, 0), B_IP, 9);
        assertThat(awaitNeighbour(b, "eth0", A_IP, A_MAC)).as("b knows a").isTrue();
        assertThat(neighbour(node, "cni0", A_IP)).as("the node knows a").contains(A_MAC);
    }

    @AfterEach
    void unwire() {
        sockets.forEach(DatagramSocket::close);
        if (kernel != null) {
            kernel.close();
        }
    }

    /** The renderer's bridge table for pods a, b, c on their ports, alone (empty filter tables, no sets). */
    private static Ruleset ruleset() {
        List<Endpoint> pods = List.of(pod("a", A_IP), pod("b", B_IP), pod("c", C_IP));
        PolicyGraph graph = PolicyCompiler.compile(new ClusterSnapshot(
                List.of(new Namespace("wl2", Map.of("kubernetes.io/metadata.name", "wl2"))), pods, List.of()));
        LocalNetwork local = new LocalNetwork(Map.of(
                ObjectKey.pod("wl2", "a"), PodInterface.bridgePort("va", A_MAC),
                ObjectKey.pod("wl2", "b"), PodInterface.bridgePort("vb", B_MAC),
                ObjectKey.pod("wl2", "c"), PodInterface.bridgePort("vc", C_MAC)), List.of(), false);
        return Cleanup.nothing(NODE).withBridge(BridgeRules.render(graph, NODE, local));
    }

    private static Endpoint pod(String name, String ip) {
        return new Endpoint("wl2", name, Map.of("app", name), List.of(IpAddress.parse(ip)), NODE, false,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }

    @Test
    void aPodClaimingAnotherPodsAddressMovesNoNeighbourEntryAndTheVictimKeepsItsReplies() throws Exception {
        claimAsAddress();

        attackFromClaimedAddress();

        assertThat(neighbour(node, "cni0", A_IP)).as("the node's entry for a").contains(A_MAC);
        assertThat(neighbour(b, "eth0", A_IP)).as("b's entry for a").contains(A_MAC);
        DatagramSocket stolen = socket(c, A_IP, CLIENT_PORT);
        assertThat(roundTrip(a)).as("a's reply reaches a").isTrue();
        assertThat(received(stolen)).as("c gets none of a's replies").isFalse();
    }

    @Test
    void ipv4FromAnAddressThatIsNotThePodsOwnNeverReachesTheNode() throws Exception {
        claimAsAddress();
        kernel.ip(c, "neigh", "replace", GATEWAY, "lladdr", GATEWAY_MAC, "dev", "eth0", "nud", "permanent");

        send(socket(c, A_IP, 0), GATEWAY, ECHO);

        assertThat(received(echo)).as("a datagram c sent from a's address").isFalse();
        send(socket(c, C_IP, 0), GATEWAY, ECHO);
        assertThat(received(echo)).as("a datagram c sent from its own address").isTrue();
    }

    @Test
    void aPodThatChangesItsMacIsCutOff() throws Exception {
        assertThat(awaitRoundTrip(c)).as("c reaches the node with its own MAC").isTrue();

        kernel.ip(c, "link", "set", "eth0", "address", "02:00:0a:f4:01:99");
        kernel.ip(c, "neigh", "flush", "dev", "eth0");

        assertThat(roundTrip(c)).as("c with another MAC").isFalse();
    }

    @Test
    void aPodTakingAnotherPodsMacCannotPullItsFramesToItsPort() throws Exception {
        kernel.ip(c, "link", "set", "eth0", "address", A_MAC);
        kernel.ip(c, "neigh", "flush", "dev", "eth0");

        assertThat(roundTrip(c)).as("c with a's MAC").isFalse();

        assertThat(fdbPort(A_MAC)).as("the bridge port a's MAC is learned on").contains("va");
        assertThat(nodeReaches(a)).as("a datagram from the node to a").isTrue();
    }

    @Test
    void withoutTheRulesAPodClaimingAnotherPodsAddressTakesItsReplies() throws Exception {
        removeTheRules();
        claimAsAddress();

        attackFromClaimedAddress();

        assertThat(awaitNeighbour(node, "cni0", A_IP, C_MAC)).as("the node's entry for a now names c").isTrue();
        DatagramSocket stolen = socket(c, A_IP, CLIENT_PORT);
        assertThat(roundTrip(a)).as("a's reply reaches a").isFalse();
        assertThat(received(stolen)).as("c gets a's reply").isTrue();
    }

    @Test
    void withoutTheRulesAPodTakingAnotherPodsMacPullsItsFramesToItsPort() throws Exception {
        removeTheRules();
        kernel.ip(c, "link", "set", "eth0", "address", A_MAC);
        kernel.ip(c, "neigh", "flush", "dev", "eth0");

        assertThat(roundTrip(c)).as("c with a's MAC is answered").isTrue();

        assertThat(fdbPort(A_MAC)).as("the bridge port a's MAC is learned on").contains("vc");
        assertThat(nodeReaches(a)).as("a datagram from the node to a").isFalse();
    }

    /**
     * Why the checks live in the nat table's PREROUTING: the same chains hooked into the filter table's FORWARD and
     * INPUT drop c's frames too, but only after the bridge has learned a's MAC on c's port.
     */
    @Test
    void inTheFilterTableTheSameChainsWouldDropTheFramesOnlyAfterTheBridgeLearnedTheStolenMac() throws Exception {
        removeTheRules();
        String filter = EbtablesScript.install(guarded.bridge()).replace("*nat", "*filter")
                .replace("-I PREROUTING 1 -j WEIR-L2\n", "-I FORWARD 1 -j WEIR-L2\n-I INPUT 1 -j WEIR-L2\n");
        nodeRunner.run(List.of("ebtables-nft-restore", "--noflush"), filter).orThrow();
        kernel.ip(c, "link", "set", "eth0", "address", A_MAC);
        kernel.ip(c, "neigh", "flush", "dev", "eth0");

        assertThat(roundTrip(c)).as("c with a's MAC").isFalse();

        assertThat(fdbPort(A_MAC)).as("the bridge port a's MAC is learned on").contains("vc");
        assertThat(nodeReaches(a)).as("a datagram from the node to a").isFalse();
    }

    private void removeTheRules() {
        applier.apply(guarded.withBridge(BridgeRuleset.EMPTY));
        assertThat(nodeRunner.run(List.of("ebtables-nft-save")).orThrow().stdout()).doesNotContain("WEIR");
    }

    /** c adds a's address next to its own, as any pod with NET_ADMIN can. */
    private void claimAsAddress() {
        kernel.ip(c, "addr", "add", A_IP + "/24", "dev", "eth0");
        kernel.ip(c, "neigh", "flush", "dev", "eth0");
    }

    /**
     * c sends from a's address to the node and to b: its kernel resolves them with ARP requests whose sender is a's
     * address and c's MAC, which a receiver takes as news about a.
     */
    private void attackFromClaimedAddress() throws Exception {
        DatagramSocket spoofed = socket(c, A_IP, 0);
        send(spoofed, GATEWAY, 9);
        send(spoofed, B_IP, 9);
        Thread.sleep(WAIT_MS);
    }

    /**
     * One datagram from {@code pod}'s first address (port {@link #CLIENT_PORT}) to the node's echo socket, which
     * answers it; true when the answer came back to that socket. A datagram that never reaches the node is false too.
     */
    private boolean roundTrip(String pod) throws Exception {
        DatagramSocket client = socket(pod, pod.equals(a) ? A_IP : C_IP, CLIENT_PORT);
        try {
            send(client, GATEWAY, ECHO);
            Optional<DatagramPacket> got = receive(echo);
            if (got.isEmpty()) {
                return false;
            }
            echo.send(new DatagramPacket(new byte[] {'p'}, 1, got.get().getSocketAddress()));
            return received(client);
        } finally {
            client.close();
            sockets.remove(client);
        }
    }

    /**
     * The node sends to a's socket ({@link #CLIENT_PORT}) without a sending anything first (a frame from a would
     * teach the bridge a's port again); true when a got it.
     */
    private boolean nodeReaches(String pod) throws Exception {
        DatagramSocket client = socket(pod, A_IP, CLIENT_PORT);
        send(echo, A_IP, CLIENT_PORT);
        return received(client);
    }

    /** A fresh port's first frames may meet a bridge that is still bringing it up: a few tries. */
    private boolean awaitRoundTrip(String pod) throws Exception {
        for (int i = 0; i < 10; i++) {
            if (roundTrip(pod)) {
                return true;
            }
        }
        return false;
    }

    private DatagramSocket socket(String ns, String ip, int port) throws Exception {
        NetworkNamespace netns = namespaces.computeIfAbsent(ns, kernel::namespace);
        DatagramSocket s = netns.call(() -> {
            DatagramSocket d = new DatagramSocket(null);
            d.setReuseAddress(true);
            d.bind(new InetSocketAddress(ip, port));
            return d;
        });
        sockets.add(s);
        return s;
    }

    private static void send(DatagramSocket s, String ip, int port) throws IOException {
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(data, data.length, new InetSocketAddress(ip, port)));
    }

    private static boolean received(DatagramSocket s) throws IOException {
        return receive(s).isPresent();
    }

    private static Optional<DatagramPacket> receive(DatagramSocket s) throws IOException {
        s.setSoTimeout(WAIT_MS);
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        try {
            s.receive(p);
            return Optional.of(p);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
    }

    /** The MAC {@code ns}'s neighbour table holds for {@code ip} on {@code dev}, if any. */
    private Optional<String> neighbour(String ns, String dev, String ip) {
        String out = runners.computeIfAbsent(ns, kernel::runner).run(List.of("ip", "neigh", "show", ip, "dev", dev))
                .orThrow().stdout();
        Matcher m = LLADDR.matcher(out);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private boolean awaitNeighbour(String ns, String dev, String ip, String mac) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            if (neighbour(ns, dev, ip).equals(Optional.of(mac))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The bridge port {@code cni0} forwards frames for {@code mac} to, if it has learned one. */
    private Optional<String> fdbPort(String mac) {
        String out = nodeRunner.run(List.of("bridge", "fdb", "show", "br", "cni0")).orThrow().stdout();
        return out.lines().filter(l -> l.startsWith(mac + " dev ") && !l.contains("permanent"))
                .map(l -> l.split(" ")[2]).findFirst();
    }
}
