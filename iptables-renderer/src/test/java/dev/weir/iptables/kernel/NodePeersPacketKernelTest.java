package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.Reachability;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.Node;
import dev.weir.model.PodPhase;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ClusterNetworkPolicy {@code nodes} peers on real packets. Node {@code n1} (its own address {@value #N1} on the
 * underlay link) hosts pod {@code prod/web} on a routed /32 veth; node {@code n2} ({@value #N2}) sits across the
 * underlay. Both nodes serve TCP {@value #PORT} on their node address, as a hostNetwork pod would. An Admin policy
 * denies egress from every pod to the nodes labelled {@code role=infra}: the packet to another node crosses n1's
 * FORWARD, the one to n1 itself its INPUT, and both must be decided as {@link Reachability} says. Relabelling and
 * readdressing Node objects changes only the node set (the rules stay as they are), and takes effect on the next apply.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodePeersPacketKernelTest {

    private static final String N1 = "10.251.9.1";
    private static final String N2 = "10.251.9.2";
    private static final String N2_SECOND = "10.251.9.3";
    private static final String WEB = "10.251.0.3";
    private static final int PORT = 10250;
    private static final int DENIED_TIMEOUT_MS = 400;

    private Kernel kernel;
    private NetworkNamespace web;
    private NamespaceCommandRunner node1;
    private DataplaneApplier applier;
    private EchoServers n1Server;
    private EchoServers n2Server;
    private EchoServers n2SecondServer;
    private dev.weir.iptables.render.Ruleset applied;

    static ClusterSnapshot cluster(Node... nodes) {
        Endpoint pod = new Endpoint("prod", "web", Map.of("app", "web"), List.of(IpAddress.parse(WEB)), "n1", false,
                PodPhase.RUNNING, List.<ContainerPort>of());
        // the nodes' agents as hostNetwork pods: in explain's pod world they hold the node addresses
        Endpoint agent1 = hostPod("agent-n1", "n1", N1);
        Endpoint agent2 = hostPod("agent-n2", "n2", N2);
        Endpoint agent2b = hostPod("agent-n2-second", "n2", N2_SECOND);
        ClusterPolicy denyInfra = new ClusterPolicy("deny-infra-nodes", Tier.ADMIN, 10,
                new ClusterPolicySubject.Namespaces(LabelSelector.all()), List.of(),
                List.of(new ClusterPolicyRule("no-infra", RuleAction.DENY,
                        List.of(new ClusterPolicyPeer.Nodes(LabelSelector.matchLabel("role", "infra"))),
                        List.of(PortMatch.Range.single(Protocol.TCP, PORT)))));
        return new ClusterSnapshot(List.of(new Namespace("prod", Map.of()), new Namespace("kube-system", Map.of())),
                List.of(pod, agent1, agent2, agent2b), List.of(), List.of(denyInfra), List.of(nodes));
    }

    private static Endpoint hostPod(String name, String node, String ip) {
        return new Endpoint("kube-system", name, Map.of(), List.of(IpAddress.parse(ip)), node, true,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }

    private static Node node(String name, String role, String... addresses) {
        return new Node(name, Map.of("role", role), List.of(addresses).stream().map(IpAddress::parse).toList());
    }

    @BeforeAll
    void wire() throws Exception {
        Kernel.assumeKernelTools("ncat");
        kernel = new Kernel("wrn-");
        String n1 = kernel.create("n1");
        String n2 = kernel.create("n2");
        String w = kernel.create("web");
        kernel.routedPod(n1, w, "vw", WEB, "10.251.1.1");
        kernel.ip(n1, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", n2);
        kernel.ip(n1, "addr", "add", N1 + "/24", "dev", "eth0");
        kernel.ip(n1, "link", "set", "eth0", "up");
        kernel.ip(n2, "addr", "add", N2 + "/24", "dev", "eth0");
        kernel.ip(n2, "addr", "add", N2_SECOND + "/24", "dev", "eth0");
        kernel.ip(n2, "link", "set", "eth0", "up");
        kernel.ip(n2, "route", "add", WEB + "/32", "via", N1, "dev", "eth0");
        node1 = kernel.runner(n1);
        node1.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).orThrow();
        web = kernel.namespace(w);
        n1Server = new EchoServers(kernel.namespace(n1), node1, N1);
        n1Server.tcp(PORT);
        NamespaceCommandRunner node2 = kernel.runner(n2);
        n2Server = new EchoServers(kernel.namespace(n2), node2, N2);
        n2Server.tcp(PORT);
        n2SecondServer = new EchoServers(kernel.namespace(n2), node2, N2_SECOND);
        n2SecondServer.tcp(PORT);
        applier = new DataplaneApplier(node1, IptablesBackend.NFT);
    }

    @AfterAll
    void unwire() {
        for (EchoServers s : new EchoServers[] {n1Server, n2Server, n2SecondServer}) {
            if (s != null) {
                s.close();
            }
        }
        if (kernel != null) {
            kernel.close();
        }
    }

    /** Renders node n1 for the cluster, applies it, and returns what Reachability says of each node address. */
    private Reachability apply(ClusterSnapshot cluster) {
        PolicyGraph graph = PolicyCompiler.compile(cluster);
        applied = IptablesRenderer.render(graph, "n1");
        applier.apply(applied);
        return new Reachability(graph);
    }

    private boolean modelled(Reachability r, String agent) {
        return r.evaluate("prod/web", "kube-system/" + agent, PORT, Protocol.TCP).allowed();
    }

    @Test
    void nodeLabelsAndAddressesDecideWhichNodeAddressesAPodMayReach() throws Exception {
        Reachability r = apply(cluster(node("n1", "worker", N1), node("n2", "infra", N2)));
        assertThat(modelled(r, "agent-n2")).isFalse();
        assertThat(tcp(N2)).as("another infra node, through FORWARD").isEqualTo(Probes.Outcome.TIMED_OUT);
        assertThat(modelled(r, "agent-n1")).isTrue();
        assertThat(tcp(N1)).as("its own worker node, through INPUT").isEqualTo(Probes.Outcome.ANSWERED);
        assertThat(tcp(N2_SECOND)).as("an address n2 does not list").isEqualTo(Probes.Outcome.ANSWERED);

        var rulesBefore = applied.v4().chains();
        r = apply(cluster(node("n1", "infra", N1), node("n2", "infra", N2, N2_SECOND)));
        assertThat(applied.v4().chains()).as("a node change is a set change").isEqualTo(rulesBefore);
        assertThat(modelled(r, "agent-n1")).isFalse();
        assertThat(tcp(N1)).as("its own node, relabelled infra").isEqualTo(Probes.Outcome.TIMED_OUT);
        assertThat(modelled(r, "agent-n2-second")).isFalse();
        assertThat(tcp(N2_SECOND)).as("n2's added address").isEqualTo(Probes.Outcome.TIMED_OUT);

        r = apply(cluster(node("n1", "worker", N1)));
        assertThat(modelled(r, "agent-n2")).as("n2's Node object deleted").isTrue();
        assertThat(tcp(N2)).isEqualTo(Probes.Outcome.ANSWERED);
        assertThat(tcp(N1)).isEqualTo(Probes.Outcome.ANSWERED);
    }

    private Probes.Outcome tcp(String address) throws Exception {
        return web.call(() -> Probes.tcp(address, PORT, DENIED_TIMEOUT_MS));
    }
}
