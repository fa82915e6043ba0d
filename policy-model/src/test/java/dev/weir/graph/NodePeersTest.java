package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.LabelSelector;
import dev.weir.model.Node;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ClusterNetworkPolicy {@code nodes} peers (egress): they match the addresses in {@code status.addresses} of the
 * nodes the selector selects. Among pods that is a hostNetwork pod, whose IP is its node's.
 */
class NodePeersTest {

    private static final ClusterPolicySubject EVERYONE = new ClusterPolicySubject.Namespaces(LabelSelector.all());

    static Node node(String name, String labels, String... addresses) {
        return new Node(name, labels.isEmpty() ? Map.of() : Map.of(labels.split("=")[0], labels.split("=")[1]),
                Arrays.stream(addresses).map(IpAddress::parse).toList());
    }

    private static ClusterPolicy egressToNodes(String name, RuleAction action, LabelSelector nodes) {
        return new ClusterPolicy(name, Tier.ADMIN, 10, EVERYONE, List.of(), List.of(new ClusterPolicyRule("", action,
                List.of(new ClusterPolicyPeer.Nodes(nodes)), List.of())));
    }

    /** Pods: a/client (n1), b/server (n2); hostNetwork pods on each node holding the node's IPs. */
    private static Cluster twoNodes() {
        return cluster().with(ns("a")).with(ns("b"))
                .with(node("n1", "role=infra", "192.168.0.1", "fd00:ff::1"))
                .with(node("n2", "role=worker", "192.168.0.2"))
                .with(pod("a", "client").node("n1").ip("10.0.1.2", "fd00:1::2"))
                .with(pod("b", "server").node("n2").ip("10.0.2.2"))
                .with(pod("b", "agent-n1").hostNetwork().node("n1").ip("192.168.0.1", "fd00:ff::1"))
                .with(pod("b", "agent-n2").hostNetwork().node("n2").ip("192.168.0.2"));
    }

    @Test
    void anAdminDenyToEveryNodeMakesHostNetworkPodsUnreachableAndNamesTheRule() {
        Cluster c = twoNodes().with(egressToNodes("deny-nodes", RuleAction.DENY, LabelSelector.all()));
        Verdict toNode = c.verdict("a/client", "b/agent-n2", 10250, Protocol.TCP);
        assertThat(toNode.allowed()).isFalse();
        assertThat(toNode.reasons()).contains(
                "egress: denied by ClusterNetworkPolicy deny-nodes egress[0] (Admin, priority 10)");
        assertThat(c.allows("a/client", "b/agent-n1", 10250)).as("its own node too").isFalse();
        assertThat(c.allows("a/client", "b/server", 80)).as("pods are not nodes").isTrue();
    }

    @Test
    void theSelectorPicksNodesByLabel() {
        Cluster c = twoNodes().with(egressToNodes("deny-infra", RuleAction.DENY, LabelSelector.matchLabel("role",
                "infra")));
        assertThat(c.allows("a/client", "b/agent-n1", 443)).isFalse();
        assertThat(c.allows("a/client", "b/agent-n2", 443)).isTrue();
    }

    @Test
    void anAcceptToNodesOutranksANetworkPolicyThatIsolates() {
        Cluster c = twoNodes().with(egressToNodes("accept-workers", RuleAction.ACCEPT,
                LabelSelector.matchLabel("role", "worker")))
                .with(policy("no-egress", "a", p -> p.types(PolicyType.EGRESS)));
        assertThat(c.allows("a/client", "b/agent-n2", 10250)).isTrue();
        assertThat(c.verdict("a/client", "b/agent-n2", 10250, Protocol.TCP).reasons()).contains(
                "egress: allowed by ClusterNetworkPolicy accept-workers egress[0] (Admin, priority 10)");
        assertThat(c.allows("a/client", "b/agent-n1", 10250)).as("infra is not selected").isFalse();
    }

    @Test
    void everyAddressOfANodeMatchesInItsOwnFamily() {
        Cluster c = twoNodes().with(egressToNodes("deny-infra", RuleAction.DENY, LabelSelector.matchLabel("role",
                "infra")));
        assertThat(c.allows("a/client", "b/agent-n1", 22, Protocol.TCP, IpFamily.V6)).isFalse();
        Cluster other = twoNodes().with(node("n1", "role=infra", "192.168.0.1"))
                .with(egressToNodes("deny-infra", RuleAction.DENY, LabelSelector.matchLabel("role", "infra")));
        assertThat(other.allows("a/client", "b/agent-n1", 22, Protocol.TCP, IpFamily.V6))
                .as("an IPv6 address the node does not list").isTrue();
    }

    @Test
    void withoutNodeObjectsANodesPeerMatchesNothing() {
        Cluster c = cluster().with(ns("a")).with(pod("a", "client").node("n1"))
                .with(pod("a", "host").hostNetwork().node("n2").ip("192.168.0.2"))
                .with(egressToNodes("deny-nodes", RuleAction.DENY, LabelSelector.all()));
        assertThat(c.allows("a/client", "a/host", 80)).isTrue();
        assertThat(c.graph().nodeGroups().values()).singleElement()
                .satisfies(g -> assertThat(g.members()).isEmpty());
    }

    @Test
    void nodeGroupsAreSharedAndSpanTheSubjectsNodes() {
        PolicyGraph g = twoNodes().with(egressToNodes("deny-a", RuleAction.DENY, LabelSelector.all()))
                .with(egressToNodes("deny-b", RuleAction.DENY, LabelSelector.all())).graph();
        PeerRef ref = g.policy("ClusterNetworkPolicy/deny-a").egress().get(0).peers().get(0);
        assertThat(ref).isEqualTo(g.policy("ClusterNetworkPolicy/deny-b").egress().get(0).peers().get(0))
                .isInstanceOf(PeerRef.Nodes.class);
        assertThat(g.nodeGroups()).containsOnlyKeys(ref.id());
        assertThat(g.nodeGroup(ref.id()).members()).containsExactly("n1", "n2");
        assertThat(g.span(ref.id())).containsExactly("n1", "n2");
        assertThat(g.nodeGroupHolds(ref.id(), IpAddress.parse("192.168.0.2"))).contains("n2");
    }

    @Test
    void nodeEventsAreMembershipChangesOfNodeGroups() {
        IncrementalGraph g = IncrementalGraph.of(twoNodes().with(egressToNodes("deny-infra", RuleAction.DENY,
                LabelSelector.matchLabel("role", "infra"))).snapshot());
        String id = g.graph().policy("ClusterNetworkPolicy/deny-infra").egress().get(0).peers().get(0).id();

        GraphDelta relabelled = g.apply(new ClusterEvent.Upserted(node("n2", "role=infra", "192.168.0.2")));
        assertThat(relabelled.membership().get(id).added()).containsExactly("n2");
        assertThat(relabelled.structureChanged()).isFalse();
        assertThat(relabelled.nodesChanged()).containsExactly("n2");

        GraphDelta readdressed = g.apply(new ClusterEvent.Upserted(node("n2", "role=infra", "192.168.0.22")));
        assertThat(readdressed.membership().get(id).readdressed()).containsExactly("n2");

        GraphDelta unrelated = g.apply(new ClusterEvent.Upserted(node("n3", "role=worker", "192.168.0.3")));
        assertThat(unrelated.membership()).isEmpty();
        assertThat(unrelated.nodesChanged()).containsExactly("n3");

        GraphDelta deleted = g.apply(new ClusterEvent.Deleted(ObjectKey.node("n1")));
        assertThat(deleted.membership().get(id).removed()).containsExactly("n1");
        assertThat(g.graph().nodeGroup(id).members()).containsExactly("n2");

        GraphDelta policyGone = g.apply(new ClusterEvent.Deleted(ObjectKey.clusterNetworkPolicy("deny-infra")));
        assertThat(policyGone.groupsRemoved()).contains(id);
        assertThat(policyGone.membership().get(id).removed()).containsExactly("n2");
        assertThat(g.graph().nodeGroups()).isEmpty();
    }
}
