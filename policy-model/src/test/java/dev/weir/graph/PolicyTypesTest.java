package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.allPodsHere;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.policy;
import static dev.weir.graph.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.NetworkPolicy;
import dev.weir.model.PolicyType;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** policyTypes defaulting and what an empty rule list means. */
class PolicyTypesTest {

    static Stream<Arguments> defaulting() {
        return Stream.of(
                Arguments.of(Named.of("no types, no rules: Ingress", policy("p", "default", p -> { })),
                        Set.of(PolicyType.INGRESS)),
                Arguments.of(Named.of("no types, ingress rules only: Ingress",
                        policy("p", "default", p -> p.ingressFrom(allPodsHere()))), Set.of(PolicyType.INGRESS)),
                Arguments.of(Named.of("no types, egress rules: Ingress and Egress",
                        policy("p", "default", p -> p.egressTo(allPodsHere()))),
                        Set.of(PolicyType.INGRESS, PolicyType.EGRESS)),
                Arguments.of(Named.of("no types, egress: [] does not add Egress",
                        new NetworkPolicy("default", "p", dev.weir.model.LabelSelector.all(), List.of(), List.of(),
                                List.of())), Set.of(PolicyType.INGRESS)),
                Arguments.of(Named.of("explicit Egress wins over ingress rules",
                        policy("p", "default", p -> p.types(PolicyType.EGRESS).ingressFrom(allPodsHere()))),
                        Set.of(PolicyType.EGRESS)),
                Arguments.of(Named.of("explicit Ingress wins over egress rules",
                        policy("p", "default", p -> p.types(PolicyType.INGRESS).egressTo(allPodsHere()))),
                        Set.of(PolicyType.INGRESS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaulting")
    void policyTypesDefaultAsTheApiDoes(NetworkPolicy p, Set<PolicyType> expected) {
        assertThat(p.policyTypes()).isEqualTo(expected);
        assertThat(PolicyCompiler.compile(p).types()).isEqualTo(expected);
    }

    @Test
    void emptyIngressListDeniesAllIngress() {
        Cluster c = cluster().with(pod("default", "a")).with(pod("default", "b"))
                .with(policy("deny", "default", p -> { }));
        assertThat(c.allows("default/a", "default/b", 80)).isFalse();
    }

    @Test
    void ingressTypeWithoutRulesDeniesAllIngressButNotEgress() {
        Cluster c = cluster().with(pod("default", "a")).with(pod("default", "b").label("app", "b"))
                .with(policy("deny", "default", p -> p.select("app", "b").types(PolicyType.INGRESS)));
        assertThat(c.allows("default/a", "default/b", 80)).isFalse();
        assertThat(c.allows("default/b", "default/a", 80)).isTrue();
    }

    @Test
    void egressTypeWithoutRulesDeniesAllEgressButNotIngress() {
        Cluster c = cluster().with(pod("default", "a")).with(pod("default", "b").label("app", "b"))
                .with(policy("deny", "default", p -> p.select("app", "b").types(PolicyType.EGRESS)));
        assertThat(c.allows("default/b", "default/a", 80)).isFalse();
        assertThat(c.allows("default/a", "default/b", 80)).isTrue();
    }

    @Test
    void ingressRulesIgnoredWhenTypesSayEgressOnly() {
        Cluster c = cluster().with(pod("default", "a")).with(pod("default", "b").label("app", "b"))
                .with(policy("p", "default", p -> p.select("app", "b").types(PolicyType.EGRESS)
                        .ingressFrom(pods("app", "nobody"))));
        assertThat(c.allows("default/a", "default/b", 80)).isTrue();
    }

    @Test
    void ingressListWithOneEmptyRuleAllowsAll() {
        Cluster c = cluster().with(pod("default", "a")).with(pod("default", "b"))
                .with(policy("deny", "default", p -> { }))
                .with(policy("allow", "default", p -> p.ingress(r -> { })));
        assertThat(c.allows("default/a", "default/b", 80)).isTrue();
        assertThat(c.verdict("default/a", "default/b", 80, dev.weir.model.Protocol.UDP).allowed()).isTrue();
    }

    @Test
    void ruleWithPortsButNoPeersMatchesEveryPeer() {
        Cluster c = cluster().with(dev.weir.graph.Fixtures.ns("other"))
                .with(pod("default", "a")).with(pod("other", "x")).with(pod("default", "b"))
                .with(policy("p", "default", p -> p.ingress(r -> r.ports(Fixtures.tcp(80)))));
        assertThat(c.allows("default/a", "default/b", 80)).isTrue();
        assertThat(c.allows("other/x", "default/b", 80)).isTrue();
        assertThat(c.allows("other/x", "default/b", 81)).isFalse();
    }

    @Test
    void emptyPodSelectorSelectsEveryPodOfItsNamespaceOnly() {
        Cluster c = cluster().with(dev.weir.graph.Fixtures.ns("other"))
                .with(pod("default", "a").label("app", "a")).with(pod("default", "b"))
                .with(pod("other", "x")).with(pod("other", "y"))
                .with(policy("deny", "default", p -> { }));
        PolicyGraph g = c.graph();
        assertThat(g.endpointPolicies().keySet()).containsExactly("default/a", "default/b");
        assertThat(c.allows("other/x", "other/y", 80)).isTrue();
    }

    @Test
    void policiesAreAUnionAnyOneAllowing() {
        Cluster c = cluster().with(pod("default", "a").label("app", "a")).with(pod("default", "c").label("app", "c"))
                .with(pod("default", "b").label("app", "b"))
                .with(policy("from-a", "default", p -> p.select("app", "b").ingressFrom(pods("app", "a"))))
                .with(policy("from-c", "default", p -> p.select("app", "b").ingress(r -> r.peers(pods("app", "c"))
                        .ports(Fixtures.tcp(443)))));
        assertThat(c.allows("default/a", "default/b", 80)).isTrue();
        assertThat(c.allows("default/c", "default/b", 443)).isTrue();
        assertThat(c.allows("default/c", "default/b", 80)).isFalse();
        assertThat(c.verdict("default/a", "default/b", 80, dev.weir.model.Protocol.TCP).ingress().isolatingPolicies())
                .containsExactly("default/from-a", "default/from-c");
    }

    @Test
    void ruleOrderWithinAPolicyDoesNotMatter() {
        NetworkPolicy one = policy("p", "default", p -> p.ingress(r -> r.peers(pods("app", "a")))
                .ingress(r -> r.ports(Fixtures.tcp(80))));
        NetworkPolicy two = policy("p", "default", p -> p.ingress(r -> r.ports(Fixtures.tcp(80)))
                .ingress(r -> r.peers(pods("app", "a"))));
        Cluster c1 = cluster().with(pod("default", "a").label("app", "a")).with(pod("default", "b")).with(one);
        Cluster c2 = cluster().with(pod("default", "a").label("app", "a")).with(pod("default", "b")).with(two);
        for (int port : new int[] {80, 81}) {
            assertThat(c1.allows("default/a", "default/b", port)).isEqualTo(c2.allows("default/a", "default/b", port));
            assertThat(c1.allows("default/b", "default/a", port)).isEqualTo(c2.allows("default/b", "default/a", port));
        }
        assertThat(rule(r -> { }).allPeers()).isTrue();
    }
}
