package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.Decision;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyTier;
import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.nflog.NflogConfig;
import dev.weir.iptables.nflog.NflogPacket;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.render.DenialLog;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.PodInterface;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.DenialLogging;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The denied-traffic log on real packets (issue 16), in throwaway namespaces ({@code wnr-*}): a node with four routed
 * pods and weir's rules applied, an NFLOG reader bound to the rules' group inside the node namespace. Each denied
 * datagram arrives as one NFLOG packet whose prefix, read through the applied {@link Ruleset}, is the decision
 * {@code weir explain} gives: NetworkPolicy's default deny, an Admin Deny rule, a spoofed source. Allowed datagrams
 * log nothing, the pods of a namespace annotated {@code weir.dev/log-denials: "false"} log nothing, and a flood logs
 * no more than the bucket allows.
 *
 * <p>Pods: {@code x/a}, {@code x/b} (admits UDP 5000 from x/a only), {@code x/c} (every pod's ingress denies it, an
 * Admin rule), {@code y/d} in namespace {@code y}, annotated off (admits nothing).
 */
class DenialLogKernelTest {

    private static final String NODE = "n1";
    private static final String A = "10.253.0.2";
    private static final String B = "10.253.0.3";
    private static final String C = "10.253.0.4";
    private static final String D = "10.253.0.5";
    private static final int PORT = 5000;
    private static final int GROUP = 1047;
    private static final int WAIT_MS = 300;

    private static final Decision B_DEFAULT_DENY = Decision.defaultDeny(PolicyType.INGRESS,
            List.of(ObjectKey.networkPolicy("x", "b-from-a")));
    private static final Decision ADMIN_DENY = Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.DENY,
            PolicyTier.ADMIN, "deny-from-c", new Decision.RuleRef(0, "from-c"));

    @Test
    void deniedPacketsAreLoggedWithTheirDecisionAndAllowedOnesAreNot() throws Exception {
        Kernel.assumeKernelTools();
        try (Kernel kernel = new Kernel("wnr-"); Bench bench = new Bench(kernel, DenialLog.defaults())) {
            assertThat(bench.send("a", A, "b", B)).as("x/a -> x/b, allowed").isTrue();
            Thread.sleep(WAIT_MS);
            assertThat(bench.logged(A, B)).as("nothing logged for an allowed packet").isEmpty();

            assertThat(bench.send("d", D, "b", B)).as("y/d -> x/b, x/b's default deny").isFalse();
            assertThat(bench.loggedOnce(D, B)).isEqualTo(B_DEFAULT_DENY);

            assertThat(bench.send("c", C, "a", A)).as("x/c -> x/a, the Admin Deny").isFalse();
            assertThat(bench.loggedOnce(C, A)).isEqualTo(ADMIN_DENY);

            bench.kernel.ip(bench.pods.get("c"), "addr", "add", A + "/32", "dev", "eth0");
            assertThat(bench.send("c", A, "b", B)).as("x/c sending as x/a").isFalse();
            assertThat(bench.loggedOnce(A, B)).isEqualTo(Decision.spoofedSource(ObjectKey.pod("x", "c")));
        }
    }

    @Test
    void aNamespaceAnnotatedOffLogsNothingForItsPods() throws Exception {
        Kernel.assumeKernelTools();
        try (Kernel kernel = new Kernel("wnr-"); Bench bench = new Bench(kernel, DenialLog.defaults())) {
            assertThat(bench.send("a", A, "d", D)).as("x/a -> y/d, y/d's default deny").isFalse();
            assertThat(bench.logged(A, D)).as("y logs nothing: no NFLOG rule in its endpoint chain").isEmpty();

            assertThat(bench.send("c", C, "d", D)).as("x/c -> y/d, the Admin Deny").isFalse();
            assertThat(bench.logged(C, D)).as("y/d is in the set the Admin rule's NFLOG rule excludes").isEmpty();
            assertThat(bench.send("c", C, "a", A)).as("x/c -> x/a, the same Admin Deny").isFalse();
            assertThat(bench.loggedOnce(C, A)).isEqualTo(ADMIN_DENY);

            bench.kernel.ip(bench.pods.get("d"), "addr", "add", B + "/32", "dev", "eth0");
            assertThat(bench.send("d", B, "a", A)).as("y/d sending as x/b").isFalse();
            assertThat(bench.logged(B, A)).as("y/d's spoofing is not logged either").isEmpty();
        }
    }

    /**
     * 300 denied datagrams as fast as one socket sends them, with 20 per second and bursts of 10: every one is dropped,
     * at least the burst is logged and never more than burst + rate x elapsed time. (One denied datagram first, so
     * x/c's neighbour entry exists and the flood crosses the node while it is being sent.)
     */
    @Test
    void aFloodIsLoggedNoFasterThanTheRateLimit() throws Exception {
        Kernel.assumeKernelTools();
        int rate = 20;
        int burst = 10;
        try (Kernel kernel = new Kernel("wnr-");
                Bench bench = new Bench(kernel, DenialLog.defaults().withRate(rate, burst))) {
            assertThat(bench.send("c", C, "a", A)).isFalse();
            assertThat(bench.loggedOnce(C, A)).isEqualTo(ADMIN_DENY);
            bench.log.clear();
            long start = System.nanoTime();
            bench.pod("c").call(() -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(C, 0))) {
                    byte[] b = "flood".getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < 300; i++) {
                        s.send(new DatagramPacket(b, b.length, InetAddress.getByName(A), PORT));
                    }
                }
                return null;
            });
            double seconds = (System.nanoTime() - start) / 1e9 + 0.05;
            Thread.sleep(WAIT_MS);
            List<NflogPacket> logged = bench.logged(C, A);
            assertThat(bench.received("a")).as("every datagram dropped: NFLOG changes no verdict").isZero();
            assertThat(logged).allSatisfy(p -> assertThat(bench.ruleset.decision(p.prefix())).contains(ADMIN_DENY));
            assertThat(logged.size()).as("%.3f s of sending", seconds)
                    .isBetween(burst - 1, burst + (int) Math.ceil(rate * seconds));
        }
    }

    /** x/a, x/b, x/c, y/d; x/b admits UDP 5000 from x/a; y/d admits nothing; no pod admits x/c (Admin). */
    static ClusterSnapshot cluster() {
        List<Endpoint> pods = List.of(pod("x", "a", A), pod("x", "b", B), pod("x", "c", C), pod("y", "d", D));
        NetworkPolicy bFromA = new NetworkPolicy("x", "b-from-a", LabelSelector.matchLabel("app", "b"),
                List.of(PolicyType.INGRESS), List.of(new Rule(List.of(Peer.Pods.inPolicyNamespace(
                        LabelSelector.matchLabel("app", "a"))), List.of(PortMatch.Range.single(Protocol.UDP, PORT)))),
                List.of());
        NetworkPolicy dClosed = new NetworkPolicy("y", "d-closed", LabelSelector.all(), List.of(PolicyType.INGRESS),
                List.of(), List.of());
        ClusterPolicy denyFromC = new ClusterPolicy("deny-from-c", Tier.ADMIN, 10,
                new ClusterPolicySubject.Namespaces(LabelSelector.all()),
                List.of(new ClusterPolicyRule("from-c", RuleAction.DENY, List.of(new ClusterPolicyPeer.Pods(
                        LabelSelector.all(), LabelSelector.matchLabel("app", "c"))), List.of())), List.of());
        return new ClusterSnapshot(List.of(new Namespace("x", Map.of()),
                new Namespace("y", Map.of(), DenialLogging.OFF)), pods, List.of(bFromA, dClosed), List.of(denyFromC));
    }

    private static Endpoint pod(String namespace, String name, String ip) {
        return new Endpoint(namespace, name, Map.of("app", name), List.of(IpAddress.parse(ip)), NODE, false,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }

    /**
     * A node namespace with one routed namespace per pod (each listening on UDP 5000), weir's ruleset for
     * {@link #cluster()} with the pods' interfaces applied, and an NFLOG reader on the rules' group in the node.
     */
    private static final class Bench implements AutoCloseable {

        final Kernel kernel;
        final Map<String, String> pods = new TreeMap<>();
        final Map<String, NetworkNamespace> namespaces = new TreeMap<>();
        final Map<String, DatagramSocket> listeners = new TreeMap<>();
        final BlockingQueue<NflogPacket> log = new LinkedBlockingQueue<>();
        final Ruleset ruleset;
        final NflogReader reader;

        Bench(Kernel kernel, DenialLog denialLog) throws Exception {
            this.kernel = kernel;
            String node = kernel.create("node");
            CommandRunner runner = kernel.runner(node);
            runner.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).orThrow();
            Map<String, String> ips = Map.of("a", A, "b", B, "c", C, "d", D);
            Map<ObjectKey, PodInterface> interfaces = new TreeMap<>();
            int k = 0;
            for (String name : new TreeMap<>(ips).keySet()) {
                String ns = kernel.create(name);
                String hostIf = "v" + name + Integer.toHexString(0x1000 + k++);
                kernel.routedPod(node, ns, hostIf, ips.get(name), "10.253.9." + k);
                interfaces.put(ObjectKey.pod(name.equals("d") ? "y" : "x", name), PodInterface.routed(hostIf));
                pods.put(name, ns);
                NetworkNamespace netns = kernel.namespace(ns);
                namespaces.put(name, netns);
                String ip = ips.get(name);
                listeners.put(name, netns.call(() -> new DatagramSocket(new InetSocketAddress(ip, PORT))));
            }
            ruleset = IptablesRenderer.render(PolicyCompiler.compile(cluster()), NODE,
                    RenderOptions.defaults().withDenialLog(denialLog), new LocalNetwork(interfaces, List.of(), false));
            new DataplaneApplier(runner, IptablesBackend.NFT).apply(ruleset);
            reader = kernel.namespace(node).call(() -> NflogReader.start(NflogConfig.of(GROUP), log::add));
            long deadline = System.currentTimeMillis() + 5000;
            while (reader.status().state() != NflogReader.State.BOUND && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            NflogReader.Status status = reader.status();
            if (status.state() != NflogReader.State.BOUND) {
                close();
                throw new AssertionError("the NFLOG reader did not bind: " + status);
            }
        }

        NetworkNamespace pod(String name) {
            return namespaces.get(name);
        }

        /** One datagram from pod {@code from} (with source address {@code source}) to {@code to}: did it arrive? */
        boolean send(String from, String source, String to, String toIp) throws Exception {
            DatagramSocket listener = listeners.get(to);
            received(to);
            log.clear();
            String token = "t" + System.nanoTime();
            namespaces.get(from).call(() -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(source, 0))) {
                    byte[] b = token.getBytes(StandardCharsets.UTF_8);
                    s.send(new DatagramPacket(b, b.length, InetAddress.getByName(toIp), PORT));
                }
                return null;
            });
            listener.setSoTimeout(WAIT_MS);
            long end = System.currentTimeMillis() + WAIT_MS;
            while (System.currentTimeMillis() < end) {
                DatagramPacket p = new DatagramPacket(new byte[128], 128);
                try {
                    listener.receive(p);
                } catch (SocketTimeoutException e) {
                    return false;
                }
                if (new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).equals(token)) {
                    return true;
                }
            }
            return false;
        }

        /** How many datagrams wait at pod {@code name}'s listener; reads them all. */
        int received(String name) throws Exception {
            DatagramSocket s = listeners.get(name);
            s.setSoTimeout(50);
            int n = 0;
            while (true) {
                try {
                    s.receive(new DatagramPacket(new byte[128], 128));
                    n++;
                } catch (SocketTimeoutException e) {
                    return n;
                }
            }
        }

        /** The NFLOG packets of group 1047 from {@code src} to {@code dst} since the last send. */
        List<NflogPacket> logged(String src, String dst) {
            List<NflogPacket> out = new ArrayList<>();
            for (NflogPacket p : log) {
                if (p.source().equals(IpAddress.parse(src)) && p.destination().equals(IpAddress.parse(dst))) {
                    out.add(p);
                }
            }
            return out;
        }

        /** The decision of the one NFLOG packet from {@code src} to {@code dst}, read through the ruleset. */
        Decision loggedOnce(String src, String dst) throws Exception {
            long deadline = System.currentTimeMillis() + 1000;
            while (logged(src, dst).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            List<NflogPacket> packets = logged(src, dst);
            assertThat(packets).as("NFLOG packets %s -> %s", src, dst).hasSize(1);
            assertThat(packets.get(0).group()).isEqualTo(GROUP);
            assertThat(packets.get(0).prefix()).matches("weir:[0-9a-f]{8}");
            return ruleset.decision(packets.get(0).prefix()).orElseThrow(() -> new AssertionError(
                    "prefix " + packets.get(0).prefix() + " is not in the ruleset's map " + ruleset.decisions()));
        }

        @Override
        public void close() {
            if (reader != null) {
                reader.close();
            }
            listeners.values().forEach(DatagramSocket::close);
        }
    }
}
