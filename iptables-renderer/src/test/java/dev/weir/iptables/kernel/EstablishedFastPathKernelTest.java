package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.FlowRevocation;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.TrackedFlow;
import dev.weir.iptables.apply.ConntrackTable;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.kernel.LongLivedFlows.Heartbeat;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The established-flow fast path on real packets ({@code docs/dataplane.md}, Chain layout), on both iptables backends
 * and both families. One node namespace with three pods on routed veths: {@code dev/a} (the client), {@code dev/web}
 * (selected by an ingress policy that admits {@code a} on TCP 8080) and {@code dev/u} (no policy selects it). Long-lived
 * TCP flows echo a heartbeat every 100 ms; the rules' packet counters ({@code iptables-save -c}) and the flows'
 * conntrack marks ({@code conntrack -L}) say which path their packets took:
 * <ol>
 * <li>a → u, not judged: delivered, no conntrack mark, the fast-path rule counts none of its packets;</li>
 * <li>a → web, judged and admitted: its first packet sets the mark, its later packets (both ways) are counted by the
 * fast-path rule and no longer by the endpoint chain's {@code RELATED,ESTABLISHED} rule;</li>
 * <li>a policy that denies it: after the apply the flow goes on (conntrack accepts an established flow, with or without
 * the fast path), after revocation its packets are dropped by {@code WEIR-FORWARD}, the fast path passes none.</li>
 * </ol>
 * Namespaces {@code wcf-*}.
 */
class EstablishedFastPathKernelTest {

    private static final String NODE = "n1";
    private static final int PORT = 8080;
    private static final int UDP_PORT = 5353;
    private static final String FAST_PATH = "-m conntrack --ctstate ESTABLISHED -m connmark --mark 0x1000000/0x1000000";

    private Kernel kernel;
    private final LongLivedFlows flows = new LongLivedFlows();

    @AfterEach
    void unwire() {
        flows.close();
        if (kernel != null) {
            kernel.close();
        }
    }

    static Stream<Arguments> backendsAndFamilies() {
        return Stream.of(Arguments.of(IptablesBackend.NFT, IpFamily.V4), Arguments.of(IptablesBackend.NFT, IpFamily.V6),
                Arguments.of(IptablesBackend.LEGACY, IpFamily.V4), Arguments.of(IptablesBackend.LEGACY, IpFamily.V6));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndFamilies")
    void anAdmittedFlowTakesTheFastPathAnUnjudgedOneDoesNotAndARevokedOneIsDropped(IptablesBackend backend,
            IpFamily family) throws Exception {
        Kernel.assumeKernelTools("conntrack");
        Addresses ip = new Addresses(family);
        kernel = new Kernel("wcf-");
        String n = kernel.create("node");
        NamespaceCommandRunner node = kernel.runner(n);
        NetworkNamespace a = pod(n, "a", "va", ip.a, 1, family);
        NetworkNamespace web = pod(n, "web", "vw", ip.web, 2, family);
        NetworkNamespace u = pod(n, "u", "vu", ip.u, 3, family);
        node.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1")).orThrow();
        DataplaneApplier applier = new DataplaneApplier(node, backend);
        applier.apply(IptablesRenderer.render(graph(ip, "a"), NODE));
        Counters counters = new Counters(node, backend, family);
        flows.echoServers(web, ip.web, PORT, UDP_PORT);
        flows.echoServers(u, ip.u, PORT, UDP_PORT);

        Heartbeat unjudged = flows.tcp("a to u (no policy selects u)", a, ip.a, ip.u, PORT);
        assertThat(unjudged.echoesOver(300)).as("%s", unjudged).isPositive();
        long fast = counters.fastPath();
        assertThat(unjudged.echoesOver(1000)).as("%s", unjudged).isPositive();
        assertThat(counters.fastPath() - fast).as("fast-path packets of a flow weir did not judge").isZero();
        assertThat(connMarks(node, family, ip.u)).as("conntrack marks of a → u").containsOnly(0L);

        long marked = counters.connMarkSet();
        Heartbeat admitted = flows.tcp("a to web (admitted)", a, ip.a, ip.web, PORT);
        assertThat(admitted.echoesOver(300)).as("%s", admitted).isPositive();
        assertThat(counters.connMarkSet() - marked).as("packets that set the mark: the SYN").isEqualTo(1);
        assertThat(connMarks(node, family, ip.web)).as("conntrack marks of a → web")
                .containsOnly((long) RenderOptions.DEFAULT_CONN_MARK);
        fast = counters.fastPath();
        long established = counters.endpointEstablished();
        marked = counters.connMarkSet();
        assertThat(admitted.echoesOver(1000)).as("%s", admitted).isGreaterThanOrEqualTo(5);
        // each heartbeat is a byte each way and their ACKs: at least two packets a beat
        assertThat(counters.fastPath() - fast).as("fast-path packets of the admitted flow in 1 s")
                .isGreaterThanOrEqualTo(10);
        assertThat(counters.endpointEstablished() - established)
                .as("packets of the admitted flow that reached web's endpoint chain").isZero();
        assertThat(counters.connMarkSet() - marked).as("later packets set no mark").isZero();

        PolicyGraph nobody = graph(ip);
        applier.apply(IptablesRenderer.render(nobody, NODE));
        assertThat(admitted.echoesOver(1000)).as("the denied flow after the apply alone (it is tracked)")
                .isPositive();
        // as the agent deletes: over ctnetlink, the flow's two tuples microseconds apart
        ConntrackTable conntrack = new ConntrackTable(node, kernel.namespace(n));
        List<TrackedFlow> denied = FlowRevocation.denied(nobody, NODE, conntrack.list());
        assertThat(denied).extracting(f -> f.original().dst()).containsOnly(IpAddress.parse(ip.web));
        assertThat(conntrack.deleteAll(denied)).isEqualTo(denied.size());
        assertThat(conntrack.deletesOverNetlink()).isTrue();
        Thread.sleep(1000);
        fast = counters.fastPath();
        long dropped = counters.forwardDrops();
        assertThat(admitted.echoesOver(2000)).as("the revoked flow's echoes").isZero();
        assertThat(counters.forwardDrops() - dropped).as("the revoked flow's packets dropped by WEIR-FORWARD")
                .isPositive();
        assertThat(counters.fastPath() - fast).as("fast-path packets after revocation").isZero();
        assertThat(unjudged.echoesOver(500)).as("%s, untouched", unjudged).isPositive();
    }

    /** The three pods' addresses in one family. */
    private record Addresses(String a, String web, String u, IpFamily family) {
        Addresses(IpFamily family) {
            this(family == IpFamily.V4 ? "10.246.0.2" : "fd00:246::2", family == IpFamily.V4 ? "10.246.0.3"
                    : "fd00:246::3", family == IpFamily.V4 ? "10.246.0.4" : "fd00:246::4", family);
        }
    }

    /** A pod on a routed veth of the node: IPv4 as {@link Kernel#routedPod}, IPv6 through the veth's link-local. */
    private NetworkNamespace pod(String node, String role, String hostIf, String address, int index, IpFamily family) {
        String ns = kernel.create(role);
        if (family == IpFamily.V4) {
            kernel.routedPod(node, ns, hostIf, address, "10.246." + index + ".1");
            return kernel.namespace(ns);
        }
        kernel.ip(node, "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", ns);
        kernel.ip(node, "addr", "add", "fe80::1/64", "dev", hostIf, "nodad");
        kernel.ip(node, "link", "set", hostIf, "up");
        kernel.ip(node, "-6", "route", "add", address + "/128", "dev", hostIf);
        kernel.ip(ns, "addr", "add", address + "/128", "dev", "eth0", "nodad");
        kernel.ip(ns, "link", "set", "eth0", "up");
        kernel.ip(ns, "-6", "route", "add", "default", "via", "fe80::1", "dev", "eth0");
        return kernel.namespace(ns);
    }

    /** The conntrack marks of the TCP flows to {@code dst}, from {@code conntrack -L}. */
    private static List<Long> connMarks(NamespaceCommandRunner node, IpFamily family, String dst) {
        String out = node.run(List.of("conntrack", "-L", "-f", family == IpFamily.V4 ? "ipv4" : "ipv6", "-p", "tcp",
                "--dport", String.valueOf(PORT), "-d", dst)).orThrow().stdout();
        List<Long> marks = new ArrayList<>();
        for (String line : out.split("\n")) {
            int at = line.indexOf(" mark=");
            if (at >= 0 && line.contains("ESTABLISHED")) {
                marks.add(Long.parseLong(line.substring(at + 6).split(" ")[0]));
            }
        }
        assertThat(marks).as("established flows to %s in %s", dst, out).isNotEmpty();
        return marks;
    }

    /** Packet counters of weir's rules, read with {@code iptables-save -c}. */
    private record Counters(NamespaceCommandRunner node, IptablesBackend backend, IpFamily family) {

        long fastPath() {
            return sum("WEIR-FORWARD", FAST_PATH + " ", "-j ACCEPT");
        }

        long connMarkSet() {
            return sum("WEIR-FORWARD", "-m conntrack --ctstate NEW ", "-j CONNMARK --set-xmark 0x1000000/0x1000000");
        }

        /** The endpoint chains' {@code RELATED,ESTABLISHED} return. */
        long endpointEstablished() {
            return sum("WEIR-EI-", "-m conntrack --ctstate RELATED,ESTABLISHED ", "-j RETURN");
        }

        /** {@code WEIR-FORWARD}'s drops (the drop mark a side set). */
        long forwardDrops() {
            return sum("WEIR-FORWARD", "-m mark --mark 0x200000/0x200000 ", "-j DROP");
        }

        private long sum(String chain, String matches, String target) {
            List<String> argv = new ArrayList<>(backend.saveFilter(family));
            argv.add("-c");
            long n = 0;
            for (String line : node.run(argv).orThrow().stdout().split("\n")) {
                int rule = line.indexOf("] -A " + chain);
                if (line.startsWith("[") && rule > 0 && line.contains(matches) && line.endsWith(target)) {
                    n += Long.parseLong(line.substring(1, line.indexOf(':')));
                }
            }
            return n;
        }
    }

    /** {@code dev/web} admits TCP {@value PORT} from the pods labelled {@code app=...}; none: it admits nobody. */
    private static PolicyGraph graph(Addresses ip, String... admitted) {
        List<Rule> rules = new ArrayList<>();
        for (String app : admitted) {
            rules.add(new Rule(List.of(new Peer.Pods(LabelSelector.matchLabel("kubernetes.io/metadata.name", "dev"),
                    LabelSelector.matchLabel("app", app))), List.of(PortMatch.Range.single(Protocol.TCP, PORT))));
        }
        NetworkPolicy policy = new NetworkPolicy("dev", "web", LabelSelector.matchLabel("app", "web"),
                List.of(PolicyType.INGRESS), rules, List.of());
        return PolicyCompiler.compile(new ClusterSnapshot(
                List.of(new Namespace("dev", Map.of("kubernetes.io/metadata.name", "dev"))),
                List.of(pod("a", ip.a), pod("web", ip.web), pod("u", ip.u)), List.of(policy)));
    }

    private static Endpoint pod(String name, String ip) {
        return new Endpoint("dev", name, Map.of("app", name), List.of(IpAddress.parse(ip)), NODE, false,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }
}
