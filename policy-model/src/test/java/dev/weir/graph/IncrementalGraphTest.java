package dev.weir.graph;

import static dev.weir.graph.Fixtures.namespaces;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Endpoint;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a single event reports. */
class IncrementalGraphTest {

    private final IncrementalGraph graph = new IncrementalGraph();
    private final NetworkPolicy webFromTeamA = policy("web", "default", p -> p.select("app", "web")
            .ingressFrom(namespaces("team", "a"), pods("app", "client")));

    @BeforeEach
    void cluster() {
        graph.apply(new ClusterEvent.Upserted(ns("default")));
        graph.apply(new ClusterEvent.Upserted(ns("prod", "team", "a")));
        graph.apply(new ClusterEvent.Upserted(pod("default", "web").label("app", "web").ip("10.0.0.1").build()));
        graph.apply(new ClusterEvent.Upserted(pod("prod", "api").label("app", "api").ip("10.0.1.1").build()));
        graph.apply(new ClusterEvent.Upserted(webFromTeamA));
    }

    private String teamAGroup() {
        return ((PeerRef.Group) graph.graph().policy("default/web").ingress().get(0).peers().get(0)).id();
    }

    @Test
    void idempotentUpsertYieldsAnEmptyDelta() {
        assertThat(graph.apply(new ClusterEvent.Upserted(webFromTeamA)).isEmpty()).isTrue();
        assertThat(graph.apply(new ClusterEvent.Upserted(ns("prod", "team", "a"))).isEmpty()).isTrue();
        assertThat(graph.apply(new ClusterEvent.Upserted(pod("prod", "api").label("app", "api").ip("10.0.1.1")
                .build())).isEmpty()).isTrue();
        assertThat(graph.apply(new ClusterEvent.Deleted(ObjectKey.pod("prod", "never-existed"))).isEmpty()).isTrue();
    }

    @Test
    void podIpChangeIsAReaddressNotAStructureChange() {
        GraphDelta d = graph.apply(new ClusterEvent.Upserted(pod("prod", "api").label("app", "api").ip("10.0.1.2")
                .build()));
        assertThat(d.structureChanged()).isFalse();
        assertThat(d.membership()).containsOnlyKeys(teamAGroup());
        assertThat(d.membership().get(teamAGroup()).readdressed()).containsExactly("prod/api");
        assertThat(d.endpointsChanged()).containsExactly("prod/api");
    }

    @Test
    void labelChangeOnAKeyNoSelectorReadsChangesNoMembership() {
        GraphDelta d = graph.apply(new ClusterEvent.Upserted(pod("prod", "api").label("app", "api")
                .label("version", "2").ip("10.0.1.1").build()));
        assertThat(d.membership()).isEmpty();
        assertThat(d.structureChanged()).isFalse();
        assertThat(d.endpointsChanged()).containsExactly("prod/api");
    }

    @Test
    void podLabelChangeMovesItIntoTheAppliedToGroupAndIsolatesIt() {
        GraphDelta d = graph.apply(new ClusterEvent.Upserted(pod("prod", "api").label("app", "web").ip("10.0.1.1")
                .build()));
        // prod/api is in a team=a namespace either way; app=web in prod is not selected by a default policy
        assertThat(d.membership()).isEmpty();
        Endpoint moved = pod("default", "client").label("app", "client").ip("10.0.0.9").build();
        GraphDelta added = graph.apply(new ClusterEvent.Upserted(moved));
        assertThat(added.membership()).hasSize(1);
        assertThat(added.membership().values().iterator().next().added()).containsExactly("default/client");
        GraphDelta relabelled = graph.apply(new ClusterEvent.Upserted(pod("default", "client").label("app", "web")
                .ip("10.0.0.9").build()));
        String appliedTo = graph.graph().policy("default/web").appliedTo().id();
        assertThat(relabelled.membership().get(appliedTo).added()).containsExactly("default/client");
        assertThat(relabelled.endpointPoliciesChanged()).containsExactly("default/client");
        assertThat(graph.graph().policiesFor("default/client").ingress()).containsExactly("default/web");
    }

    @Test
    void namespaceLabelChangeMovesItsPodsOutOfAPeerGroup() {
        GraphDelta d = graph.apply(new ClusterEvent.Upserted(ns("prod", "team", "b")));
        assertThat(d.membership().get(teamAGroup()).removed()).containsExactly("prod/api");
        assertThat(d.namespacesChanged()).containsExactly("prod");
        assertThat(d.structureChanged()).isFalse();
    }

    @Test
    void podFinishingLeavesEveryGroup() {
        GraphDelta d = graph.apply(new ClusterEvent.Upserted(pod("prod", "api").label("app", "api")
                .ip("10.0.1.1").phase(PodPhase.SUCCEEDED).build()));
        assertThat(d.membership().get(teamAGroup()).removed()).containsExactly("prod/api");
    }

    @Test
    void changingOnlyThePortsOfAPolicyKeepsItsGroups() {
        NetworkPolicy withPorts = policy("web", "default", p -> p.select("app", "web")
                .ingress(r -> r.peers(namespaces("team", "a"), pods("app", "client")).ports(Fixtures.tcp(80))));
        GraphDelta d = graph.apply(new ClusterEvent.Upserted(withPorts));
        assertThat(d.policiesChanged()).containsExactly("default/web");
        assertThat(d.groupsCreated()).isEmpty();
        assertThat(d.groupsRemoved()).isEmpty();
        assertThat(d.membership()).isEmpty();
        assertThat(d.endpointPoliciesChanged()).isEmpty();
    }

    @Test
    void deletingTheLastPolicyRemovesItsGroupsAndUnisolatesItsPods() {
        GraphDelta d = graph.apply(new ClusterEvent.Deleted(ObjectKey.networkPolicy("default", "web")));
        assertThat(d.policiesRemoved()).containsExactly("default/web");
        assertThat(d.groupsRemoved()).hasSize(3);
        assertThat(d.endpointPoliciesChanged()).containsExactly("default/web");
        assertThat(graph.graph().groups()).isEmpty();
        assertThat(graph.graph().endpointPolicies()).isEmpty();
    }

    @Test
    void snapshotsAreImmutableAndEqualToACompile() {
        PolicyGraph before = graph.graph();
        graph.apply(new ClusterEvent.Deleted(ObjectKey.pod("prod", "api")));
        assertThat(before.group(teamAGroup()).members()).containsExactly("prod/api");
        assertThat(graph.graph().group(teamAGroup()).members()).isEmpty();
        assertThat(IncrementalGraph.of(new dev.weir.model.ClusterSnapshot(List.copyOf(graph.graph().namespaces()
                .values()), List.copyOf(graph.graph().endpoints().values()), List.of(webFromTeamA))).graph())
                .isEqualTo(graph.graph());
    }
}
