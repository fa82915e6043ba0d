package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.namespaces;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.podsIn;
import static dev.weir.graph.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.LabelSelector;
import dev.weir.model.LabelSelector.Operator;
import dev.weir.model.LabelSelector.Requirement;
import dev.weir.model.Peer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pods a peer means: podSelector, namespaceSelector, their AND within one peer and OR across peers. */
class PeerSelectionTest {

    /** Namespaces prod(team=a) and dev(team=b); a web pod and a db pod in each; the target is default/target. */
    private static Cluster twoTeams() {
        return cluster().with(ns("prod", "team", "a")).with(ns("dev", "team", "b"))
                .with(pod("prod", "web").label("app", "web")).with(pod("prod", "db").label("app", "db"))
                .with(pod("dev", "web").label("app", "web")).with(pod("dev", "db").label("app", "db"))
                .with(pod("default", "web").label("app", "web")).with(pod("default", "target").label("app", "t"));
    }

    private static Cluster targetAllowing(Peer... peers) {
        return twoTeams().with(policy("p", "default", p -> p.select("app", "t").ingressFrom(peers)));
    }

    @Test
    void podSelectorAloneMeansThePolicysNamespaceOnly() {
        Cluster c = targetAllowing(pods("app", "web"));
        assertThat(c.allows("default/web", "default/target", 80)).isTrue();
        assertThat(c.allows("prod/web", "default/target", 80)).isFalse();
    }

    @Test
    void namespaceSelectorAloneMeansEveryPodOfMatchingNamespaces() {
        Cluster c = targetAllowing(namespaces("team", "a"));
        assertThat(c.allows("prod/web", "default/target", 80)).isTrue();
        assertThat(c.allows("prod/db", "default/target", 80)).isTrue();
        assertThat(c.allows("dev/web", "default/target", 80)).isFalse();
        assertThat(c.allows("default/web", "default/target", 80)).isFalse();
    }

    @Test
    void emptyNamespaceSelectorMeansEveryNamespace() {
        Cluster c = targetAllowing(podsIn(LabelSelector.all(), LabelSelector.matchLabel("app", "db")));
        assertThat(c.allows("prod/db", "default/target", 80)).isTrue();
        assertThat(c.allows("dev/db", "default/target", 80)).isTrue();
        assertThat(c.allows("dev/web", "default/target", 80)).isFalse();
    }

    @Test
    void namespaceAndPodSelectorInOnePeerAreAnded() {
        Cluster c = targetAllowing(podsIn(LabelSelector.matchLabel("team", "a"), LabelSelector.matchLabel("app", "db")));
        assertThat(c.allows("prod/db", "default/target", 80)).isTrue();
        assertThat(c.allows("prod/web", "default/target", 80)).isFalse();
        assertThat(c.allows("dev/db", "default/target", 80)).isFalse();
    }

    @Test
    void separatePeersAreOred() {
        Cluster c = targetAllowing(namespaces("team", "a"), pods("app", "web"));
        assertThat(c.allows("prod/db", "default/target", 80)).isTrue();
        assertThat(c.allows("default/web", "default/target", 80)).isTrue();
        assertThat(c.allows("dev/db", "default/target", 80)).isFalse();
    }

    @Test
    void namespaceSelectorMatchesTheAutomaticMetadataNameLabel() {
        Cluster c = targetAllowing(namespaces("kubernetes.io/metadata.name", "dev"));
        assertThat(c.allows("dev/web", "default/target", 80)).isTrue();
        assertThat(c.allows("prod/web", "default/target", 80)).isFalse();
    }

    @Test
    void matchExpressionInSelectsListedValues() {
        Cluster c = targetAllowing(Peer.Pods.inPolicyNamespace(new LabelSelector(List.of(
                new Requirement("app", Operator.IN, List.of("web", "api"))))));
        assertThat(c.allows("default/web", "default/target", 80)).isTrue();
    }

    @Test
    void matchExpressionNotInMatchesPodsWithoutTheKey() {
        Cluster c = cluster().with(pod("default", "nolabel")).with(pod("default", "web").label("app", "web"))
                .with(pod("default", "db").label("app", "db")).with(pod("default", "target").label("role", "t"))
                .with(policy("p", "default", p -> p.select("role", "t").ingressFrom(Peer.Pods.inPolicyNamespace(
                        new LabelSelector(List.of(new Requirement("app", Operator.NOT_IN, List.of("web"))))))));
        assertThat(c.allows("default/nolabel", "default/target", 80)).isTrue();
        assertThat(c.allows("default/db", "default/target", 80)).isTrue();
        assertThat(c.allows("default/web", "default/target", 80)).isFalse();
    }

    @Test
    void matchExpressionExistsAndDoesNotExist() {
        Cluster c = cluster().with(pod("default", "nolabel")).with(pod("default", "web").label("app", "web"))
                .with(pod("default", "t1").label("role", "t1")).with(pod("default", "t2").label("role", "t2"))
                .with(policy("p1", "default", p -> p.select("role", "t1").ingressFrom(Peer.Pods.inPolicyNamespace(
                        new LabelSelector(List.of(new Requirement("app", Operator.EXISTS, List.of())))))))
                .with(policy("p2", "default", p -> p.select("role", "t2").ingressFrom(Peer.Pods.inPolicyNamespace(
                        new LabelSelector(List.of(new Requirement("app", Operator.DOES_NOT_EXIST, List.of())))))));
        assertThat(c.allows("default/web", "default/t1", 80)).isTrue();
        assertThat(c.allows("default/nolabel", "default/t1", 80)).isFalse();
        assertThat(c.allows("default/web", "default/t2", 80)).isFalse();
        assertThat(c.allows("default/nolabel", "default/t2", 80)).isTrue();
    }

    @Test
    void equalSelectorsWrittenDifferentlyShareOneGroup() {
        LabelSelector byMatchLabels = LabelSelector.matchLabels(Map.of("app", "web", "tier", "front"));
        LabelSelector byExpressions = LabelSelector.of(Map.of(), List.of(
                new Requirement("tier", Operator.IN, List.of("front")),
                new Requirement("app", Operator.IN, List.of("web", "web"))));
        PolicyGraph g = twoTeams()
                .with(policy("p1", "default", p -> p.ingressFrom(Peer.Pods.inPolicyNamespace(byMatchLabels))))
                .with(policy("p2", "default", p -> p.ingressFrom(Peer.Pods.inPolicyNamespace(byExpressions))))
                .graph();
        String id1 = ((PeerRef.Group) g.policy("default/p1").ingress().get(0).peers().get(0)).id();
        String id2 = ((PeerRef.Group) g.policy("default/p2").ingress().get(0).peers().get(0)).id();
        assertThat(id1).isEqualTo(id2);
        // applied-to {} of default, and the shared peer group
        assertThat(g.groups()).hasSize(2);
    }

    @Test
    void podWhoseNamespaceIsUnknownMatchesOnlyLabelFreeNamespaceSelectors() {
        Cluster c = twoTeams().with(pod("ghost", "web").label("app", "web"))
                .with(policy("p", "default", p -> p.select("app", "t").ingressFrom(
                        podsIn(LabelSelector.all(), LabelSelector.matchLabel("app", "web")))))
                .with(policy("q", "default", p -> p.select("app", "web").ingressFrom(
                        podsIn(new LabelSelector(List.of(new Requirement("team", Operator.NOT_IN, List.of("x")))),
                                LabelSelector.all()))));
        // {} means every namespace, whatever its labels: the unknown one too
        assertThat(c.allows("ghost/web", "default/target", 80)).isTrue();
        // a selector that reads labels cannot be judged on a namespace we have not seen: it does not match
        assertThat(c.allows("ghost/web", "default/web", 80)).isFalse();
        assertThat(c.allows("prod/web", "default/web", 80)).isTrue();
    }

    @Test
    void policyInANamespaceWithoutNamespaceObjectStillSelectsItsPods() {
        Cluster c = cluster().with(pod("ghost", "a")).with(pod("ghost", "b"))
                .with(policy("deny", "ghost", p -> { }));
        assertThat(c.allows("ghost/a", "ghost/b", 80)).isFalse();
    }

    @Test
    void namespaceLabelChangeMovesPodsInAndOutOfPeerSets() {
        Cluster before = targetAllowing(namespaces("team", "a"));
        Cluster after = targetAllowing(namespaces("team", "a")).with(ns("prod", "team", "c"))
                .with(ns("dev", "team", "a"));
        assertThat(before.allows("prod/web", "default/target", 80)).isTrue();
        assertThat(before.allows("dev/web", "default/target", 80)).isFalse();
        assertThat(after.allows("prod/web", "default/target", 80)).isFalse();
        assertThat(after.allows("dev/web", "default/target", 80)).isTrue();
    }
}
