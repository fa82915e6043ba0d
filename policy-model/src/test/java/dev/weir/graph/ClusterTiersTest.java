package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the Admin tier, NetworkPolicy and the Baseline tier combine, and how verdicts name the deciding rule. */
class ClusterTiersTest {

    private static final ClusterPolicySubject EVERYONE = new ClusterPolicySubject.Namespaces(LabelSelector.all());

    private static ClusterPolicyPeer fromNamespace(String name) {
        return new ClusterPolicyPeer.Namespaces(LabelSelector.matchLabel(Namespace.NAME_LABEL, name));
    }

    private static ClusterPolicyRule rule(RuleAction action, ClusterPolicyPeer peer) {
        return new ClusterPolicyRule("", action, List.of(peer), List.of());
    }

    private static ClusterPolicy ingress(String name, Tier tier, int priority, ClusterPolicyRule... rules) {
        return new ClusterPolicy(name, tier, priority, EVERYONE, List.of(rules), List.of());
    }

    private static Cluster twoNamespaces() {
        return cluster().with(ns("a")).with(ns("b")).with(pod("a", "client")).with(pod("b", "server"));
    }

    @Test
    void adminDenyIsFinalEvenWhenANetworkPolicyAllows() {
        Cluster c = twoNamespaces()
                .with(ingress("deny-a", Tier.ADMIN, 10, rule(RuleAction.DENY, fromNamespace("a"))))
                .with(policy("allow-all", "b", p -> p.ingressFrom(new Peer.Pods(LabelSelector.all(),
                        LabelSelector.all()))));
        Verdict v = c.verdict("a/client", "b/server", 80, Protocol.TCP);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reasons()).contains("ingress: denied by ClusterNetworkPolicy deny-a ingress[0] (Admin, priority 10)");
    }

    @Test
    void adminAcceptIsFinalEvenWhenANetworkPolicyIsolates() {
        Cluster c = twoNamespaces()
                .with(ingress("accept-a", Tier.ADMIN, 10, rule(RuleAction.ACCEPT, fromNamespace("a"))))
                .with(policy("deny-all", "b", p -> { }));
        assertThat(c.allows("a/client", "b/server", 80)).isTrue();
    }

    @Test
    void lowerPriorityValueWinsWithinTheAdminTier() {
        Cluster c = twoNamespaces()
                .with(ingress("z-accept", Tier.ADMIN, 1, rule(RuleAction.ACCEPT, fromNamespace("a"))))
                .with(ingress("a-deny", Tier.ADMIN, 2, rule(RuleAction.DENY, fromNamespace("a"))));
        assertThat(c.allows("a/client", "b/server", 80)).isTrue();
    }

    @Test
    void samePriorityIsBrokenByPolicyName() {
        Cluster c = twoNamespaces()
                .with(ingress("b-accept", Tier.ADMIN, 5, rule(RuleAction.ACCEPT, fromNamespace("a"))))
                .with(ingress("a-deny", Tier.ADMIN, 5, rule(RuleAction.DENY, fromNamespace("a"))));
        assertThat(c.allows("a/client", "b/server", 80)).isFalse();
    }

    @Test
    void earlierRuleOfAPolicyWins() {
        Cluster c = twoNamespaces().with(ingress("p", Tier.ADMIN, 5,
                rule(RuleAction.ACCEPT, fromNamespace("a")), rule(RuleAction.DENY, fromNamespace("a"))));
        assertThat(c.allows("a/client", "b/server", 80)).isTrue();
    }

    @Test
    void adminPassHandsTheDecisionToNetworkPolicy() {
        Cluster c = twoNamespaces()
                .with(ingress("pass-a", Tier.ADMIN, 1, rule(RuleAction.PASS, fromNamespace("a"))))
                .with(ingress("deny-a", Tier.ADMIN, 2, rule(RuleAction.DENY, fromNamespace("a"))))
                .with(policy("allow-all", "b", p -> p.ingressFrom(new Peer.Pods(LabelSelector.all(),
                        LabelSelector.all()))));
        Verdict v = c.verdict("a/client", "b/server", 80, Protocol.TCP);
        assertThat(v.allowed()).isTrue();
        assertThat(v.reasons()).contains("ingress: passed by ClusterNetworkPolicy pass-a ingress[0] (Admin, priority 1);"
                + " allowed by b/allow-all ingress[0]");
    }

    @Test
    void adminPassWithoutNetworkPolicyFallsToTheBaselineTier() {
        Cluster c = twoNamespaces()
                .with(ingress("pass-a", Tier.ADMIN, 1, rule(RuleAction.PASS, fromNamespace("a"))))
                .with(ingress("baseline-deny", Tier.BASELINE, 1, rule(RuleAction.DENY, fromNamespace("a"))));
        Verdict v = c.verdict("a/client", "b/server", 80, Protocol.TCP);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reasons()).contains("ingress: passed by ClusterNetworkPolicy pass-a ingress[0] (Admin, priority 1);"
                + " denied by ClusterNetworkPolicy baseline-deny ingress[0] (Baseline, priority 1)");
    }

    @Test
    void networkPolicyIsolationSkipsTheBaselineTier() {
        Cluster c = twoNamespaces()
                .with(ingress("baseline-deny", Tier.BASELINE, 1, rule(RuleAction.DENY, fromNamespace("a"))))
                .with(policy("allow-all", "b", p -> p.ingressFrom(new Peer.Pods(LabelSelector.all(),
                        LabelSelector.all()))));
        assertThat(c.allows("a/client", "b/server", 80)).isTrue();
    }

    @Test
    void baselinePassEndsTheBaselineTierWithTheDefaultAllow() {
        Cluster c = twoNamespaces()
                .with(ingress("a-pass", Tier.BASELINE, 1, rule(RuleAction.PASS, fromNamespace("a"))))
                .with(ingress("b-deny", Tier.BASELINE, 2, rule(RuleAction.DENY, fromNamespace("a"))));
        Verdict v = c.verdict("a/client", "b/server", 80, Protocol.TCP);
        assertThat(v.allowed()).isTrue();
        assertThat(v.ingress().decidedBy()).startsWith("passed by ClusterNetworkPolicy a-pass");
    }

    @Test
    void egressNetworksMatchPodAddressesToo() {
        // pods get 10.1.0.1, 10.1.0.2, ...: the server is 10.1.0.2
        ClusterPolicy deny = new ClusterPolicy("deny-net", Tier.ADMIN, 10, EVERYONE, List.of(),
                List.of(rule(RuleAction.DENY, new ClusterPolicyPeer.Networks(List.of(Cidr.parse("10.1.0.2/32"))))));
        Cluster c = twoNamespaces().with(deny);
        Verdict v = c.verdict("a/client", "b/server", 80, Protocol.TCP);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reasons()).contains("egress: denied by ClusterNetworkPolicy deny-net egress[0] (Admin, priority 10)");
        assertThat(c.allows("b/server", "a/client", 80)).isTrue();
    }

    @Test
    void rulesOfOtherProtocolsAndPortsDoNotMatch() {
        ClusterPolicy deny = new ClusterPolicy("deny-80", Tier.ADMIN, 10, EVERYONE, List.of(new ClusterPolicyRule(
                "web", RuleAction.DENY, List.of(fromNamespace("a")),
                List.of(dev.weir.model.PortMatch.Range.single(Protocol.TCP, 80)))), List.of());
        Cluster c = twoNamespaces().with(deny);
        assertThat(c.allows("a/client", "b/server", 80)).isFalse();
        assertThat(c.allows("a/client", "b/server", 81)).isTrue();
        assertThat(c.allows("a/client", "b/server", 80, Protocol.UDP)).isTrue();
        assertThat(c.verdict("a/client", "b/server", 80, Protocol.TCP).reasons())
                .contains("ingress: denied by ClusterNetworkPolicy deny-80 ingress[0] \"web\" (Admin, priority 10)");
    }

    @Test
    void hostNetworkPodsAreNeverSubjectsNorPodPeers() {
        Cluster c = twoNamespaces().with(pod("a", "host").hostNetwork().node("n9"))
                .with(ingress("deny-a", Tier.ADMIN, 10, rule(RuleAction.DENY, fromNamespace("a"))));
        assertThat(c.allows("a/host", "b/server", 80)).isTrue();
        assertThat(c.allows("b/server", "a/host", 80)).isTrue();
    }

    @Test
    void theNodeStillReachesItsOwnPodsOverAnAdminDeny() {
        ClusterPolicy denyAll = new ClusterPolicy("deny-all", Tier.ADMIN, 0, EVERYONE,
                List.of(ClusterPolicyRule.denyAll("all")), List.of());
        Cluster c = twoNamespaces().with(pod("a", "kubelet").hostNetwork().node("node-1")).with(denyAll);
        assertThat(c.graph().endpoint("b/server").node()).isEqualTo("node-1");
        assertThat(c.allows("a/kubelet", "b/server", 10250)).isTrue();
        assertThat(c.allows("a/client", "b/server", 80)).isFalse();
    }

    @Test
    void endpointsListTheirClusterPoliciesInEvaluationOrder() {
        Cluster c = twoNamespaces()
                .with(ingress("base", Tier.BASELINE, 0, rule(RuleAction.DENY, fromNamespace("a"))))
                .with(ingress("late", Tier.ADMIN, 9, rule(RuleAction.DENY, fromNamespace("a"))))
                .with(ingress("b-early", Tier.ADMIN, 1, rule(RuleAction.DENY, fromNamespace("a"))))
                .with(ingress("a-early", Tier.ADMIN, 1, rule(RuleAction.DENY, fromNamespace("a"))));
        assertThat(c.graph().policiesFor("b/server").ingress()).containsExactly("ClusterNetworkPolicy/a-early",
                "ClusterNetworkPolicy/b-early", "ClusterNetworkPolicy/late", "ClusterNetworkPolicy/base");
        assertThat(c.graph().policiesFor("b/server").egress()).isEmpty();
    }
}
