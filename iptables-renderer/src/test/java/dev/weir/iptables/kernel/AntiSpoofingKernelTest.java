package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.PodInterface;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
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
import org.junit.jupiter.api.Test;

/**
 * Anti-spoofing on real packets (issue 11): pod {@code x/c}, denied all egress, adds pod {@code x/a}'s address to its
 * own {@code eth0} and sends from it to {@code x/b}, whose ingress admits only {@code x/a}. Without interface binding the
 * packet is judged as {@code x/a}'s and delivered (the control: the attack is real on this bench); with the node's
 * {@link LocalNetwork} it is dropped in {@code WEIR-FROM-POD} and counted on {@code x/c}'s rule, while {@code x/a}'s own
 * traffic still arrives. Both topologies: routed /32 veths ({@code -i}) and ports of a bridge ({@code -m physdev},
 * through {@code br_netfilter}). The fail-closed case: a pod the graph does not know yet can neither send nor receive
 * until it is programmed.
 */
class AntiSpoofingKernelTest {

    private static final String NODE = "n1";
    private static final String A = "10.253.0.2";
    private static final String B = "10.253.0.3";
    private static final String C = "10.253.0.4";
    private static final String D = "10.253.0.5";
    private static final int PORT = 5000;
    private static final int WAIT_MS = 400;

    private enum Wiring { ROUTED, BRIDGED }

    @Test
    void aRoutedPodCannotSendWithAnotherPodsAddress() throws Exception {
        spoofingIsStoppedOn(Wiring.ROUTED);
    }

    @Test
    void aBridgedPodCannotSendWithAnotherPodsAddress() throws Exception {
        spoofingIsStoppedOn(Wiring.BRIDGED);
    }

    private void spoofingIsStoppedOn(Wiring wiring) throws Exception {
        Kernel.assumeKernelTools();
        try (Kernel kernel = new Kernel("wsp-"); Bench bench = new Bench(kernel, wiring, false)) {
            PolicyGraph graph = PolicyCompiler.compile(cluster(false));
            bench.kernel.ip(bench.pods.get("c"), "addr", "add", A + "/32", "dev", "eth0");

            bench.apply(graph, LocalNetwork.none());
            assertThat(bench.delivered("c", A, "b", B)).as("spoofed packet without interface binding (the attack)")
                    .isTrue();

            bench.apply(graph, bench.network(List.of()));
            assertThat(bench.applier.apply(IptablesRenderer.render(graph, NODE, RenderOptions.defaults(),
                    bench.network(List.of()))).v4().isEmpty())
                    .as("the kernel prints the guard rules back exactly as rendered: a re-apply writes nothing").isTrue();
            assertThat(bench.delivered("c", A, "b", B)).as("spoofed packet with interface binding").isFalse();
            assertThat(bench.delivered("c", C, "b", B)).as("x/c's own packet (denied by its egress policy)").isFalse();
            assertThat(bench.delivered("a", A, "b", B)).as("x/a's own packet after the attempts").isTrue();
            assertThat(bench.dropCount("pod:x/c")).as("drops counted on x/c's anti-spoofing rule").isPositive();
            assertThat(bench.dropCount("pod:x/a")).as("nothing dropped for x/a").isZero();
        }
    }

    @Test
    void failClosedDropsAnUnprogrammedPodUntilItIsProgrammed() throws Exception {
        Kernel.assumeKernelTools();
        try (Kernel kernel = new Kernel("wsp-"); Bench bench = new Bench(kernel, Wiring.ROUTED, true)) {
            List<Cidr> cidrs = List.of(Cidr.parse("10.253.0.0/24"));
            LocalNetwork failClosed = new LocalNetwork(bench.interfaces(), cidrs, true);

            bench.apply(PolicyCompiler.compile(cluster(false)), failClosed);
            assertThat(bench.delivered("d", D, "a", A)).as("unprogrammed x/d -> x/a").isFalse();
            assertThat(bench.delivered("a", A, "d", D)).as("x/a -> unprogrammed x/d").isFalse();
            assertThat(bench.delivered("a", A, "b", B)).as("programmed x/a -> x/b").isTrue();

            PolicyGraph withD = PolicyCompiler.compile(cluster(true));
            bench.apply(withD, new LocalNetwork(bench.interfaces(), cidrs, true));
            assertThat(bench.delivered("d", D, "a", A)).as("programmed x/d -> x/a").isTrue();
            assertThat(bench.delivered("a", A, "d", D)).as("x/a -> programmed x/d").isTrue();

            bench.apply(withD, new LocalNetwork(bench.interfaces(), cidrs, false));
            assertThat(bench.delivered("a", A, "b", B)).as("open mode still passes x/a -> x/b").isTrue();
        }
    }

    /**
     * The node's own traffic is never guarded: kubelet-style packets from the node to an ingress-isolated pod pass
     * (OUTPUT), and the pod's packets to the node pass the guard (its own address, its own interface) with
     * fail-closed on too.
     */
    @Test
    void theNodeAndItsPodsStillReachEachOtherWithGuardsAndFailClosed() throws Exception {
        Kernel.assumeKernelTools();
        try (Kernel kernel = new Kernel("wsp-"); Bench bench = new Bench(kernel, Wiring.BRIDGED, false)) {
            bench.apply(PolicyCompiler.compile(cluster(false)),
                    new LocalNetwork(bench.interfaces(), List.of(Cidr.parse("10.253.0.0/24")), true));
            NetworkNamespace node = kernel.namespace(bench.nodeName);
            try (DatagramSocket nodeListener = node.call(() -> new DatagramSocket(
                    new InetSocketAddress("10.253.0.1", PORT)))) {
                bench.listeners.put("node", nodeListener);
                bench.namespaces.put("node", node);
                assertThat(bench.delivered("node", "10.253.0.1", "b", B)).as("node -> ingress-isolated x/b").isTrue();
                assertThat(bench.delivered("b", B, "node", "10.253.0.1")).as("x/b -> its node").isTrue();
                assertThat(bench.delivered("c", C, "node", "10.253.0.1")).as("x/c (egress denied) -> its node")
                        .isFalse();
            }
        }
    }

    /** x/a, x/b, x/c (and x/d when {@code withD}); x/b admits UDP 5000 from x/a only; x/c may send nothing. */
    static ClusterSnapshot cluster(boolean withD) {
        List<Endpoint> pods = new ArrayList<>(List.of(pod("a", A), pod("b", B), pod("c", C)));
        if (withD) {
            pods.add(pod("d", D));
        }
        NetworkPolicy bFromA = new NetworkPolicy("x", "b-from-a", LabelSelector.matchLabel("app", "b"),
                List.of(PolicyType.INGRESS), List.of(new Rule(List.of(Peer.Pods.inPolicyNamespace(
                        LabelSelector.matchLabel("app", "a"))), List.of(PortMatch.Range.single(Protocol.UDP, PORT)))),
                List.of());
        NetworkPolicy cNoEgress = new NetworkPolicy("x", "c-no-egress", LabelSelector.matchLabel("app", "c"),
                List.of(PolicyType.EGRESS), List.of(), List.of());
        return new ClusterSnapshot(List.of(new Namespace("x", Map.of("kubernetes.io/metadata.name", "x"))), pods,
                List.of(bFromA, cNoEgress));
    }

    private static Endpoint pod(String name, String ip) {
        return new Endpoint("x", name, Map.of("app", name), List.of(IpAddress.parse(ip)), NODE, false,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }

    /** A node namespace and one namespace per pod, wired routed or bridged; every pod listens on UDP 5000. */
    private static final class Bench implements AutoCloseable {

        final Kernel kernel;
        final Wiring wiring;
        final Map<String, String> pods = new TreeMap<>();
        final Map<String, NetworkNamespace> namespaces = new TreeMap<>();
        final Map<String, PodInterface> hostSides = new TreeMap<>();
        final Map<String, DatagramSocket> listeners = new TreeMap<>();
        final CommandRunner node;
        final String nodeName;
        final DataplaneApplier applier;

        Bench(Kernel kernel, Wiring wiring, boolean withD) throws Exception {
            this.kernel = kernel;
            this.wiring = wiring;
            String n = kernel.create("node");
            nodeName = n;
            node = kernel.runner(n);
            node.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).orThrow();
            if (wiring == Wiring.BRIDGED) {
                kernel.ip(n, "link", "add", "cni0", "type", "bridge");
                kernel.ip(n, "addr", "add", "10.253.0.1/24", "dev", "cni0");
                kernel.ip(n, "link", "set", "cni0", "up");
                boolean brNetfilter = node.run(List.of("sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=1"))
                        .ok();
                assumeTrue(brNetfilter, "bridged anti-spoofing needs br_netfilter (modprobe br_netfilter)");
            }
            Map<String, String> ips = new TreeMap<>(Map.of("a", A, "b", B, "c", C));
            if (withD) {
                ips.put("d", D);
            }
            int k = 0;
            for (Map.Entry<String, String> e : ips.entrySet()) {
                String ns = kernel.create(e.getKey());
                String hostIf = "v" + e.getKey() + Integer.toHexString(0x1000 + k++);
                if (wiring == Wiring.ROUTED) {
                    kernel.routedPod(n, ns, hostIf, e.getValue(), "10.253.9." + k);
                    hostSides.put(e.getKey(), PodInterface.routed(hostIf));
                } else {
                    kernel.bridgedPod(n, "cni0", ns, hostIf, e.getValue(), "10.253.0.1");
                    hostSides.put(e.getKey(), PodInterface.bridgePort(hostIf, null));
                }
                pods.put(e.getKey(), ns);
                NetworkNamespace netns = kernel.namespace(ns);
                namespaces.put(e.getKey(), netns);
                String ip = e.getValue();
                listeners.put(e.getKey(), netns.call(() -> new DatagramSocket(new InetSocketAddress(ip, PORT))));
            }
            applier = new DataplaneApplier(node, IptablesBackend.NFT);
        }

        Map<ObjectKey, PodInterface> interfaces() {
            Map<ObjectKey, PodInterface> out = new TreeMap<>();
            hostSides.forEach((pod, i) -> out.put(ObjectKey.pod("x", pod), i));
            return out;
        }

        LocalNetwork network(List<Cidr> cidrs) {
            return new LocalNetwork(interfaces(), cidrs, false);
        }

        void apply(PolicyGraph graph, LocalNetwork network) {
            applier.apply(IptablesRenderer.render(graph, NODE, RenderOptions.defaults(), network));
        }

        /** One datagram from {@code from} (sent with source {@code source}) to {@code to}: did it arrive? */
        boolean delivered(String from, String source, String to, String toIp) throws Exception {
            DatagramSocket listener = listeners.get(to);
            listener.setSoTimeout(50);
            drain(listener);
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

        private static void drain(DatagramSocket s) throws Exception {
            while (true) {
                try {
                    s.receive(new DatagramPacket(new byte[128], 128));
                } catch (SocketTimeoutException e) {
                    return;
                }
            }
        }

        /** Packets counted on the DROP rule of {@code owner} in WEIR-FROM-POD. */
        long dropCount(String owner) {
            String save = node.run(List.of("iptables-nft-save", "-c", "-t", "filter")).orThrow().stdout();
            long total = 0;
            for (String line : save.split("\n")) {
                if (line.contains("-A WEIR-FROM-POD") && line.contains("\"" + owner + " ") && line.endsWith("-j DROP")) {
                    total += Long.parseLong(line.substring(1, line.indexOf(':')));
                }
            }
            return total;
        }

        @Override
        public void close() {
            listeners.values().forEach(DatagramSocket::close);
        }
    }
}
