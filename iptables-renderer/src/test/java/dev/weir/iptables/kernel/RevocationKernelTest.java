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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Established flows end when a policy change denies them. Pods {@code dev/a} and {@code dev/b} hold long-lived TCP and
 * UDP flows to {@code dev/web} (routed /32 veths off one node namespace), each echoing a heartbeat every 100 ms. The
 * node's rules first admit both clients; then a policy that admits only {@code a} is rendered and applied. The apply
 * alone leaves {@code b}'s flows running (conntrack accepts them before any policy); revocation, the same
 * {@link FlowRevocation} and {@link ConntrackTable} the agent runs, must stop them within 2 s while {@code a}'s carry
 * on. The rules are applied before any flow starts: a namespace tracks connections only once a conntrack rule is in.
 * Before the change the flows' packets pass by the established-flow fast path of {@code WEIR-FORWARD} (their
 * conntrack entries carry weir's mark); the revoked ones must not come back through it.
 */
class RevocationKernelTest {

    private static final String NODE = "n1";
    private static final String A = "10.249.0.2";
    private static final String WEB = "10.249.0.3";
    private static final String B = "10.249.0.4";
    private static final int TCP_PORT = 8080;
    private static final int UDP_PORT = 5353;

    private Kernel kernel;
    private NamespaceCommandRunner node;
    private NetworkNamespace a;
    private NetworkNamespace b;
    private NetworkNamespace web;
    private final LongLivedFlows flows = new LongLivedFlows();

    @BeforeEach
    void wire() {
        Kernel.assumeKernelTools("conntrack");
        kernel = new Kernel("wrv-");
        String n = kernel.create("node");
        String na = kernel.create("a");
        String nb = kernel.create("b");
        String nw = kernel.create("web");
        kernel.routedPod(n, na, "va", A, "10.249.1.1");
        kernel.routedPod(n, nb, "vb", B, "10.249.2.1");
        kernel.routedPod(n, nw, "vw", WEB, "10.249.3.1");
        a = kernel.namespace(na);
        b = kernel.namespace(nb);
        web = kernel.namespace(nw);
        node = kernel.runner(n);
        node.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).orThrow();
    }

    @AfterEach
    void unwire() {
        flows.close();
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void aDeniedTcpAndUdpFlowStopsWithinTwoSecondsWhileAnAllowedOneContinues() throws Exception {
        DataplaneApplier applier = new DataplaneApplier(node, IptablesBackend.NFT);
        applier.apply(IptablesRenderer.render(graph("a", "b"), NODE));
        flows.echoServers(web, WEB, TCP_PORT, UDP_PORT);
        Heartbeat tcpA = flows.tcp("tcp from a", a, A, WEB, TCP_PORT);
        Heartbeat tcpB = flows.tcp("tcp from b", b, B, WEB, TCP_PORT);
        Heartbeat udpA = flows.udp("udp from a", a, A, WEB, UDP_PORT);
        Heartbeat udpB = flows.udp("udp from b", b, B, WEB, UDP_PORT);
        List<Heartbeat> all = List.of(tcpA, tcpB, udpA, udpB);
        long fastBefore = fastPathPackets();
        for (Heartbeat h : all) {
            assertThat(h.echoesOver(1000)).as("%s before the change", h).isPositive();
        }
        assertThat(fastPathPackets() - fastBefore).as("packets of the admitted flows on the fast path")
                .isGreaterThanOrEqualTo(20);

        PolicyGraph onlyA = graph("a");
        applier.apply(IptablesRenderer.render(onlyA, NODE));
        assertThat(tcpB.echoesOver(1000)).as("b's TCP flow outlives the apply alone (it is tracked)").isPositive();
        assertThat(udpB.echoesOver(1000)).as("b's UDP flow outlives the apply alone").isPositive();

        ConntrackTable conntrack = new ConntrackTable(node);
        List<TrackedFlow> denied = FlowRevocation.denied(onlyA, NODE, conntrack.list());
        assertThat(denied).extracting(f -> f.original().src()).containsOnly(IpAddress.parse(B));
        assertThat(denied).extracting(TrackedFlow::protocol).contains(Protocol.TCP, Protocol.UDP);
        denied.forEach(conntrack::delete);

        Thread.sleep(2000);
        String marks = node.run(List.of("conntrack", "-L", "-f", "ipv4", "-s", B)).orThrow().stdout();
        assertThat(marks).as("b's flows tracked again after revocation (as new ones, judged and denied) carry no "
                + "fast-path mark").doesNotContain("mark=" + RenderOptions.DEFAULT_CONN_MARK);
        assertThat(tcpB.echoesOver(1000)).as("b's TCP flow, 2 s after revocation").isZero();
        assertThat(udpB.echoesOver(1000)).as("b's UDP flow, 2 s after revocation").isZero();
        assertThat(tcpA.echoesOver(1000)).as("a's TCP flow, still allowed").isPositive();
        assertThat(udpA.echoesOver(1000)).as("a's UDP flow, still allowed").isPositive();
        assertThat(tcpA.broken()).as("a's TCP connection").isFalse();
    }

    /** Packets the fast-path rule of {@code WEIR-FORWARD} has accepted so far. */
    private long fastPathPackets() {
        long n = 0;
        for (String line : node.run(List.of("iptables-nft-save", "-c", "-t", "filter")).orThrow().stdout()
                .split("\n")) {
            if (line.contains("] -A WEIR-FORWARD -m conntrack --ctstate ESTABLISHED -m connmark")) {
                n += Long.parseLong(line.substring(1, line.indexOf(':')));
            }
        }
        return n;
    }

    /** {@code dev/web} admits TCP {@value TCP_PORT} and UDP {@value UDP_PORT} from the pods labelled {@code app=...}. */
    private static PolicyGraph graph(String... admitted) {
        List<Rule> rules = new ArrayList<>();
        for (String app : admitted) {
            rules.add(new Rule(List.of(new Peer.Pods(LabelSelector.matchLabel("kubernetes.io/metadata.name", "dev"),
                    LabelSelector.matchLabel("app", app))), List.of(PortMatch.Range.single(Protocol.TCP, TCP_PORT),
                    PortMatch.Range.single(Protocol.UDP, UDP_PORT))));
        }
        NetworkPolicy policy = new NetworkPolicy("dev", "web", LabelSelector.matchLabel("app", "web"),
                List.of(PolicyType.INGRESS), rules, List.of());
        return PolicyCompiler.compile(new ClusterSnapshot(
                List.of(new Namespace("dev", Map.of("kubernetes.io/metadata.name", "dev"))),
                List.of(pod("a", A), pod("b", B), pod("web", WEB)), List.of(policy)));
    }

    private static Endpoint pod(String name, String ip) {
        return new Endpoint("dev", name, Map.of("app", name), List.of(IpAddress.parse(ip)), NODE, false,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }
}
