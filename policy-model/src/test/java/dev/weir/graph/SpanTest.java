package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.ipBlock;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.PolicyType;
import org.junit.jupiter.api.Test;

/** span: which nodes need a group or an ipBlock set. */
class SpanTest {

    private final PolicyGraph graph = cluster()
            .with(pod("default", "web1").label("app", "web").node("n1"))
            .with(pod("default", "web2").label("app", "web").node("n2"))
            .with(pod("default", "db").label("app", "db").label("role", "db").node("n3"))
            .with(pod("default", "unscheduled").label("app", "web").node(null))
            .with(policy("web", "default", p -> p.select("app", "web").ingressFrom(pods("app", "db"))
                    .ingressFrom(ipBlock("10.0.0.0/8"))))
            .with(policy("db-egress-ignored", "default", p -> p.select("role", "db").types(PolicyType.INGRESS)
                    .egressTo(ipBlock("192.168.0.0/16"))))
            .graph();

    private String groupOf(String policy, int rule, int peer) {
        return ((PeerRef.Group) graph.policy(policy).ingress().get(rule).peers().get(peer)).id();
    }

    @Test
    void peerGroupSpansTheNodesOfTheEndpointsItsPoliciesSelect() {
        assertThat(graph.span(groupOf("default/web", 0, 0))).containsExactly("n1", "n2");
    }

    @Test
    void appliedToGroupSpansTheNodesOfItsMembers() {
        assertThat(graph.span(graph.policy("default/web").appliedTo().id())).containsExactly("n1", "n2");
        assertThat(graph.span(graph.policy("default/db-egress-ignored").appliedTo().id())).containsExactly("n3");
    }

    @Test
    void groupUsedAsPeerAndAsAppliedToSpansBoth() {
        PolicyGraph g = cluster().with(pod("default", "web").label("app", "web").node("n1"))
                .with(pod("default", "db").label("app", "db").node("n3"))
                .with(policy("web", "default", p -> p.select("app", "web").ingressFrom(pods("app", "db"))))
                .with(policy("db", "default", p -> p.select("app", "db")))
                .graph();
        assertThat(g.span(g.policy("default/db").appliedTo().id())).containsExactly("n1", "n3");
    }

    @Test
    void ipBlockSetSpansLikeAGroup() {
        String block = ((PeerRef.Block) graph.policy("default/web").ingress().get(1).peers().get(0)).id();
        assertThat(graph.span(block)).containsExactly("n1", "n2");
    }

    @Test
    void peersOfADirectionThePolicyDoesNotAffectSpanNothing() {
        String block = ((PeerRef.Block) graph.policy("default/db-egress-ignored").egress().get(0).peers().get(0))
                .id();
        assertThat(graph.span(block)).isEmpty();
    }

    @Test
    void endpointsOnANodeAreListedInKeyOrder() {
        assertThat(graph.endpointsOn("n1")).extracting(e -> e.key().namespacedName()).containsExactly("default/web1");
        assertThat(graph.endpointsOn("n9")).isEmpty();
    }
}
