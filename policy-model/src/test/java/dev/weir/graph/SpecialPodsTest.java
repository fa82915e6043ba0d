package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.allPodsHere;
import static dev.weir.graph.Fixtures.ipBlock;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** hostNetwork, IP-less and finished pods, a pod talking to itself, same-node flows. */
class SpecialPodsTest {

    @Test
    void hostNetworkPodsAreNeverSelectedNorIsolated() {
        Cluster c = cluster().with(pod("default", "host").hostNetwork().ip("192.168.0.10").node("n2"))
                .with(pod("default", "a").node("n1"))
                .with(policy("deny", "default", p -> p.types(PolicyType.INGRESS, PolicyType.EGRESS)));
        PolicyGraph g = c.graph();
        assertThat(g.endpointPolicies()).containsOnlyKeys("default/a");
        assertThat(g.group(g.policy("default/deny").appliedTo().id()).members()).containsExactly("default/a");
        assertThat(c.verdict("default/a", "default/host", 80, dev.weir.model.Protocol.TCP).ingress().allowed())
                .isTrue();
    }

    @Test
    void hostNetworkPodsMatchPeersOnlyThroughIpBlock() {
        Cluster c = cluster().with(pod("default", "host").hostNetwork().ip("192.168.0.10").node("n2"))
                .with(pod("default", "target").label("app", "t").node("n1"))
                .with(policy("pods", "default", p -> p.select("app", "t").ingressFrom(allPodsHere())));
        assertThat(c.allows("default/host", "default/target", 80)).isFalse();
        Cluster withBlock = c.with(policy("nodes", "default", p -> p.select("app", "t")
                .ingressFrom(ipBlock("192.168.0.0/24"))));
        assertThat(withBlock.allows("default/host", "default/target", 80)).isTrue();
    }

    @Test
    void trafficFromTheDestinationsOwnNodeIsAlwaysAllowed() {
        Cluster c = cluster().with(pod("default", "kubelet").hostNetwork().ip("192.168.0.10").node("n1"))
                .with(pod("default", "target").node("n1"))
                .with(policy("deny", "default", p -> { }));
        assertThat(c.allows("default/kubelet", "default/target", 8080)).isTrue();
    }

    static Stream<Arguments> notMembers() {
        return Stream.of(
                Arguments.of("pod without IP", pod("default", "peer").label("app", "peer").noIp()),
                Arguments.of("succeeded pod", pod("default", "peer").label("app", "peer").phase(PodPhase.SUCCEEDED)),
                Arguments.of("failed pod", pod("default", "peer").label("app", "peer").phase(PodPhase.FAILED)),
                Arguments.of("hostNetwork pod", pod("default", "peer").label("app", "peer").hostNetwork()));
    }

    @ParameterizedTest(name = "{0} is in no peer set")
    @MethodSource("notMembers")
    void ineligiblePodsAreInNoPeerSet(String name, Fixtures.PodBuilder peer) {
        PolicyGraph g = cluster().with(peer).with(pod("default", "target").label("app", "t"))
                .with(policy("p", "default", p -> p.select("app", "t").ingressFrom(Fixtures.pods("app", "peer"))))
                .graph();
        for (PeerGroup group : g.groups().values()) {
            assertThat(group.members()).doesNotContain("default/peer");
            assertThat(g.isMember(group.id(), "default/peer")).isFalse();
        }
        assertThat(g.endpointPolicies()).doesNotContainKey("default/peer");
    }

    @Test
    void pendingPodWithAnIpIsAMember() {
        PolicyGraph g = cluster().with(pod("default", "peer").phase(PodPhase.PENDING))
                .with(policy("p", "default", p -> { })).graph();
        assertThat(g.endpointPolicies()).containsOnlyKeys("default/peer");
    }

    @Test
    void aPodToItselfIsAlwaysAllowed() {
        Cluster c = cluster().with(pod("default", "a"))
                .with(policy("deny", "default", p -> p.types(PolicyType.INGRESS, PolicyType.EGRESS)));
        assertThat(c.allows("default/a", "default/a", 80)).isTrue();
    }

    @Test
    void sameNodePodToPodNeedsEgressOfSourceAndIngressOfDestination() {
        Cluster base = cluster().with(pod("default", "a").label("app", "a").node("n1"))
                .with(pod("default", "b").label("app", "b").node("n1"))
                .with(policy("a-egress-deny", "default", p -> p.select("app", "a").types(PolicyType.EGRESS)))
                .with(policy("b-ingress-deny", "default", p -> p.select("app", "b").types(PolicyType.INGRESS)));
        assertThat(base.allows("default/a", "default/b", 80)).isFalse();
        Cluster onlyIngressOpened = cluster().with(pod("default", "a").label("app", "a").node("n1"))
                .with(pod("default", "b").label("app", "b").node("n1"))
                .with(policy("a-egress-deny", "default", p -> p.select("app", "a").types(PolicyType.EGRESS)))
                .with(policy("b-ingress", "default", p -> p.select("app", "b").ingressFrom(allPodsHere())));
        Verdict v = onlyIngressOpened.verdict("default/a", "default/b", 80, dev.weir.model.Protocol.TCP);
        assertThat(v.ingress().allowed()).isTrue();
        assertThat(v.egress().allowed()).isFalse();
        assertThat(v.allowed()).isFalse();
        Cluster both = onlyIngressOpened.with(policy("a-egress", "default", p -> p.select("app", "a")
                .types(PolicyType.EGRESS).egressTo(allPodsHere())));
        assertThat(both.allows("default/a", "default/b", 80)).isTrue();
    }
}
