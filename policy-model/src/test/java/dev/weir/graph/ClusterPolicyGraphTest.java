package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the graph holds for ClusterNetworkPolicies: shared groups and sets, spans, and the deltas of their events. */
class ClusterPolicyGraphTest {

    private static final ClusterPolicyPeer FROM_B = new ClusterPolicyPeer.Namespaces(
            LabelSelector.matchLabel(Namespace.NAME_LABEL, "b"));

    private static ClusterPolicy denyFromB(int priority) {
        return new ClusterPolicy("deny-b", Tier.ADMIN, priority,
                new ClusterPolicySubject.Namespaces(LabelSelector.matchLabel(Namespace.NAME_LABEL, "a")),
                List.of(new ClusterPolicyRule("", RuleAction.DENY, List.of(FROM_B), List.of())),
                List.of(new ClusterPolicyRule("", RuleAction.DENY, List.of(new ClusterPolicyPeer.Networks(List.of(
                        Cidr.parse("10.9.0.0/16"), Cidr.parse("192.0.2.0/24")))), List.of())));
    }

    private static Cluster cluster2() {
        return cluster().with(ns("a")).with(ns("b")).with(pod("a", "web").node("n1")).with(pod("b", "cli").node("n2"));
    }

    @Test
    void subjectAndPeerGroupsAndNetworkSetsSpanTheSubjectsNodes() {
        PolicyGraph g = cluster2().with(denyFromB(3)).graph();
        CompiledPolicy p = g.policy("ClusterNetworkPolicy/deny-b");
        String peerGroup = ((PeerRef.Group) p.ingress().get(0).peers().get(0)).id();
        assertThat(g.group(p.appliedTo().id()).members()).containsExactly("a/web");
        assertThat(g.group(peerGroup).members()).containsExactly("b/cli");
        assertThat(g.span(p.appliedTo().id())).containsExactly("n1");
        assertThat(g.span(peerGroup)).containsExactly("n1");
        assertThat(p.egress().get(0).peers()).hasSize(2).allSatisfy(ref -> {
            assertThat(ref).isInstanceOf(PeerRef.Block.class);
            assertThat(g.span(((PeerRef.Block) ref).id())).containsExactly("n1");
        });
        assertThat(g.isJudged("a/web")).isTrue();
        assertThat(g.isJudged("b/cli")).isFalse();
    }

    @Test
    void clusterPolicyEventsAreReportedUnderTheirOwnKeys() {
        IncrementalGraph g = IncrementalGraph.of(cluster2().snapshot());
        GraphDelta added = g.apply(new ClusterEvent.Upserted(denyFromB(3)));
        assertThat(added.policiesAdded()).containsExactly("ClusterNetworkPolicy/deny-b");
        assertThat(added.endpointPoliciesChanged()).containsExactly("a/web");
        assertThat(added.structureChanged()).isTrue();

        GraphDelta reprioritised = g.apply(new ClusterEvent.Upserted(denyFromB(4)));
        assertThat(reprioritised.policiesChanged()).containsExactly("ClusterNetworkPolicy/deny-b");
        assertThat(reprioritised.groupsCreated()).isEmpty();

        assertThat(g.apply(new ClusterEvent.Upserted(denyFromB(4))).isEmpty()).isTrue();

        GraphDelta deleted = g.apply(new ClusterEvent.Deleted(ObjectKey.clusterNetworkPolicy("deny-b")));
        assertThat(deleted.policiesRemoved()).containsExactly("ClusterNetworkPolicy/deny-b");
        assertThat(deleted.endpointPoliciesChanged()).containsExactly("a/web");
        assertThat(g.graph()).isEqualTo(PolicyCompiler.compile(cluster2().snapshot()));
    }

    @Test
    void aPodJoiningTheSubjectGetsThePolicy() {
        IncrementalGraph g = IncrementalGraph.of(cluster2().with(denyFromB(3)).snapshot());
        GraphDelta joined = g.apply(new ClusterEvent.Upserted(pod("a", "new").ip("10.1.9.9").build()));
        assertThat(joined.endpointPoliciesChanged()).containsExactly("a/new");
        assertThat(g.graph().policiesFor("a/new").ingress()).containsExactly("ClusterNetworkPolicy/deny-b");
    }
}
