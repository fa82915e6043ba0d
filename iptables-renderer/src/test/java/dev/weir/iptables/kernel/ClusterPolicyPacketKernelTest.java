package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.iptables.sys.RawSctp;
import dev.weir.iptables.sys.SctpInit;
import dev.weir.model.ClusterPolicy;
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
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ClusterNetworkPolicy on real packets: the renderer's ruleset for a node whose server pod {@code prod/web} is the
 * subject of three Admin policies, applied to a node namespace by the applier: Deny from {@code ops} (priority 10),
 * Pass from {@code dev} (20) and Deny from everyone (30). A NetworkPolicy allows every namespace on one TCP, one UDP
 * and one SCTP port, so ops is denied only by the Admin Deny, and dev reaches the NetworkPolicy only through the Pass
 * (without it the priority-30 Deny would drop dev too). Clients {@code dev/a} and
 * {@code ops/b} and the server hang off the node on routed /32 veths; the server listens on every port probed, so a
 * denied probe is the policy, not a closed port. Every cell must be what {@link Reachability} says and what the table
 * says by hand; a denied TCP connect must time out (DROP), never be refused (RST). SCTP goes as raw INIT packets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterPolicyPacketKernelTest {

    private static final String NODE = "n1";
    private static final String DEV = "10.252.0.2";
    private static final String OPS = "10.252.0.4";
    private static final String WEB = "10.252.0.3";
    private static final int TCP_NP = 8080;
    private static final int TCP_OTHER = 9090;
    private static final int UDP_NP = 5353;
    private static final int UDP_OTHER = 5454;
    private static final int SCTP_NP = 7777;
    private static final int SCTP_OTHER = 7778;
    private static final int DENIED_TIMEOUT_MS = 400;

    private Kernel kernel;
    private final Map<String, NetworkNamespace> clients = new HashMap<>();
    private NetworkNamespace server;
    private NamespaceCommandRunner serverRunner;
    private Reachability reachability;
    private Ruleset ruleset;
    private EchoServers servers;

    static ClusterSnapshot cluster() {
        List<Namespace> namespaces = Stream.of("dev", "ops", "prod")
                .map(n -> new Namespace(n, Map.of("kubernetes.io/metadata.name", n))).toList();
        List<Endpoint> pods = List.of(pod("dev", "a", DEV), pod("ops", "b", OPS), pod("prod", "web", WEB));
        ClusterPolicySubject prod = new ClusterPolicySubject.Namespaces(ns("prod"));
        ClusterPolicy deny = new ClusterPolicy("deny-ops", Tier.ADMIN, 10, prod,
                List.of(new ClusterPolicyRule("deny-ops", RuleAction.DENY,
                        List.of(new ClusterPolicyPeer.Namespaces(ns("ops"))), List.of())), List.of());
        ClusterPolicy pass = new ClusterPolicy("pass-dev", Tier.ADMIN, 20, prod,
                List.of(new ClusterPolicyRule("pass-dev", RuleAction.PASS,
                        List.of(new ClusterPolicyPeer.Namespaces(ns("dev"))), List.of())), List.of());
        ClusterPolicy denyRest = new ClusterPolicy("deny-rest", Tier.ADMIN, 30, prod,
                List.of(new ClusterPolicyRule("deny-rest", RuleAction.DENY,
                        List.of(new ClusterPolicyPeer.Namespaces(LabelSelector.all())), List.of())), List.of());
        NetworkPolicy allowAll = new NetworkPolicy("prod", "allow-any-namespace", LabelSelector.all(),
                List.of(PolicyType.INGRESS),
                List.of(new Rule(List.of(new Peer.Pods(LabelSelector.all(), LabelSelector.all())),
                        List.of(PortMatch.Range.single(Protocol.TCP, TCP_NP), PortMatch.Range.single(Protocol.UDP,
                                UDP_NP), PortMatch.Range.single(Protocol.SCTP, SCTP_NP)))), List.of());
        return new ClusterSnapshot(namespaces, pods, List.of(allowAll), List.of(deny, pass, denyRest));
    }

    private static LabelSelector ns(String name) {
        return LabelSelector.matchLabel("kubernetes.io/metadata.name", name);
    }

    private static Endpoint pod(String namespace, String name, String ip) {
        return new Endpoint(namespace, name, Map.of("app", name), List.of(IpAddress.parse(ip)), NODE, false,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }

    @BeforeAll
    void wire() throws Exception {
        Kernel.assumeKernelTools("ncat");
        kernel = new Kernel("wrc-");
        String n = kernel.create("node");
        String a = kernel.create("dev");
        String b = kernel.create("ops");
        String w = kernel.create("web");
        kernel.routedPod(n, a, "va", DEV, "10.252.1.1");
        kernel.routedPod(n, b, "vb", OPS, "10.252.2.1");
        kernel.routedPod(n, w, "vw", WEB, "10.252.3.1");
        var node = kernel.runner(n);
        node.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).orThrow();
        clients.put("dev/a", kernel.namespace(a));
        clients.put("ops/b", kernel.namespace(b));
        server = kernel.namespace(w);
        serverRunner = kernel.runner(w);
        servers = new EchoServers(server, serverRunner, WEB);
        servers.tcp(TCP_NP, TCP_OTHER);
        ClusterSnapshot snapshot = cluster();
        var graph = PolicyCompiler.compile(snapshot);
        reachability = new Reachability(graph);
        ruleset = IptablesRenderer.render(graph, NODE);
        new DataplaneApplier(node, IptablesBackend.NFT).apply(ruleset);
    }

    @AfterAll
    void unwire() {
        if (servers != null) {
            servers.close();
        }
        if (kernel != null) {
            kernel.close();
        }
    }

    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of("dev/a", TCP_NP, Protocol.TCP, true),
                Arguments.of("dev/a", TCP_OTHER, Protocol.TCP, false),
                Arguments.of("dev/a", UDP_NP, Protocol.UDP, true),
                Arguments.of("dev/a", UDP_OTHER, Protocol.UDP, false),
                Arguments.of("dev/a", SCTP_NP, Protocol.SCTP, true),
                Arguments.of("dev/a", SCTP_OTHER, Protocol.SCTP, false),
                Arguments.of("ops/b", TCP_NP, Protocol.TCP, false),
                Arguments.of("ops/b", UDP_NP, Protocol.UDP, false),
                Arguments.of("ops/b", SCTP_NP, Protocol.SCTP, false));
    }

    @ParameterizedTest(name = "{0} -> prod/web {1}/{2}: allowed={3}")
    @MethodSource("cells")
    void packetsAreDecidedAsReachabilitySays(String from, int port, Protocol protocol, boolean expected)
            throws Exception {
        boolean modelled = reachability.evaluate(from, "prod/web", port, protocol).allowed();

        boolean probed = switch (protocol) {
            case TCP -> tcp(from, port) == Probes.Outcome.ANSWERED;
            case UDP -> udp(from, port);
            case SCTP -> sctp(from, port);
        };

        assertThat(modelled).as("Reachability").isEqualTo(expected);
        assertThat(probed).as("packets").isEqualTo(expected);
    }

    @Test
    void anAdminDenyDropsTheSynSoTheConnectTimesOutRatherThanBeingRefused() throws Exception {
        assertThat(RestoreScript.install(ruleset.v4())).doesNotContain("REJECT");

        assertThat(tcp("ops/b", TCP_NP)).as("admin-denied connect").isEqualTo(Probes.Outcome.TIMED_OUT);
        assertThat(tcp("dev/a", TCP_OTHER)).as("NetworkPolicy-denied connect after Pass")
                .isEqualTo(Probes.Outcome.TIMED_OUT);
    }

    private Probes.Outcome tcp(String from, int port) throws Exception {
        return clients.get(from).call(() -> Probes.tcp(WEB, port, DENIED_TIMEOUT_MS));
    }

    private boolean udp(String from, int port) throws Exception {
        servers.udp(port);
        return clients.get(from).call(() -> Probes.udp(WEB, port, DENIED_TIMEOUT_MS));
    }

    private boolean sctp(String from, int port) throws Exception {
        try (RawSctp.Sender sender = RawSctp.Sender.open(clients.get(from));
                RawSctp.Receiver receiver = RawSctp.Receiver.open(server)) {
            int tag = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            sender.send(WEB, new SctpInit(ThreadLocalRandom.current().nextInt(32768, 60999), port, tag));
            return receiver.await(port, tag, Duration.ofMillis(DENIED_TIMEOUT_MS));
        }
    }
}
