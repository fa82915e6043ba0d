package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.pods;
import static dev.weir.graph.Fixtures.policy;
import static dev.weir.graph.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.Decision.Cause;
import dev.weir.graph.Decision.Outcome;
import dev.weir.graph.Decision.RuleRef;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link Decision} of each side of a verdict: cause, outcome, tier, the deciding objects and the cluster policy
 * rule by its index as written. These are the fields a denial record carries, so each assertion is exactly what a
 * record of the same drop must say.
 */
class ReachabilityDecisionsTest {

    private static final ClusterPolicySubject EVERYONE = new ClusterPolicySubject.Namespaces(LabelSelector.all());
    private static final ClusterPolicyPeer FROM_A = new ClusterPolicyPeer.Namespaces(
            LabelSelector.matchLabel(Namespace.NAME_LABEL, "a"));
    private static final ClusterPolicyPeer FROM_C = new ClusterPolicyPeer.Namespaces(
            LabelSelector.matchLabel(Namespace.NAME_LABEL, "c"));

    private static ClusterPolicyRule rule(String name, RuleAction action, ClusterPolicyPeer peer) {
        return new ClusterPolicyRule(name, action, List.of(peer), List.of());
    }

    private static ClusterPolicy ingress(String name, Tier tier, int priority, ClusterPolicyRule... rules) {
        return new ClusterPolicy(name, tier, priority, EVERYONE, List.of(rules), List.of());
    }

    private static Cluster twoNamespaces() {
        return cluster().with(ns("a")).with(ns("b")).with(ns("c")).with(pod("a", "client"))
                .with(pod("b", "server").label("app", "server"));
    }

    private static Verdict verdict(Cluster c) {
        return c.verdict("a/client", "b/server", 80, Protocol.TCP);
    }

    private static Decision clusterRule(Outcome outcome, Tier tier, String policy, int index, String name) {
        return new Decision(PolicyType.INGRESS, outcome, Cause.CLUSTER_POLICY_RULE, Optional.of(PolicyTier.of(tier)),
                List.of(ObjectKey.clusterNetworkPolicy(policy)), Optional.of(new RuleRef(index, name)));
    }

    @Test
    void sidesNoPolicySelectsAreNotIsolatedAndComeInPacketOrder() {
        Verdict v = verdict(twoNamespaces());
        assertThat(v.decisions()).containsExactly(Decision.notIsolated(PolicyType.EGRESS),
                Decision.notIsolated(PolicyType.INGRESS));
    }

    @Test
    void networkPolicyDefaultDenyNamesEveryIsolatingPolicyInKeyOrder() {
        Verdict v = verdict(twoNamespaces()
                .with(policy("z-deny", "b", p -> { }))
                .with(policy("m-only-from-c", "b", p -> p.ingressFrom(pods("app", "nobody")))));
        assertThat(v.allowed()).isFalse();
        assertThat(v.ingress().decision()).isEqualTo(new Decision(PolicyType.INGRESS, Outcome.DENY, Cause.DEFAULT_DENY,
                Optional.of(PolicyTier.NETWORK_POLICY),
                List.of(ObjectKey.networkPolicy("b", "m-only-from-c"), ObjectKey.networkPolicy("b", "z-deny")),
                Optional.empty()));
        assertThat(v.egress().decision()).isEqualTo(Decision.notIsolated(PolicyType.EGRESS));
    }

    @Test
    void networkPolicyAllowNamesOnlyThePoliciesWhoseRulesAllowed() {
        Verdict v = verdict(twoNamespaces()
                .with(policy("deny-all", "b", p -> { }))
                .with(policy("web", "b", p -> p.ingress(r -> r.ports(tcp(80))).ingress(r -> r.ports(tcp(80))))));
        assertThat(v.allowed()).isTrue();
        assertThat(v.ingress().decision()).isEqualTo(new Decision(PolicyType.INGRESS, Outcome.ALLOW,
                Cause.POLICY_RULE, Optional.of(PolicyTier.NETWORK_POLICY), List.of(ObjectKey.networkPolicy("b", "web")),
                Optional.empty()));
        assertThat(v.ingress().allowingRules()).containsExactly("b/web ingress[0]", "b/web ingress[1]");
    }

    @Test
    void adminDenyNamesThePolicyTheTierAndTheRuleByItsIndexAsWritten() {
        Verdict v = verdict(twoNamespaces().with(ingress("guard", Tier.ADMIN, 10,
                rule("from-c", RuleAction.ACCEPT, FROM_C), rule("", RuleAction.PASS, FROM_C),
                rule("deny-z", RuleAction.DENY, FROM_A))));
        assertThat(v.allowed()).isFalse();
        assertThat(v.ingress().decision()).isEqualTo(clusterRule(Outcome.DENY, Tier.ADMIN, "guard", 2, "deny-z"));
        assertThat(v.reasons()).contains(
                "ingress: denied by ClusterNetworkPolicy guard ingress[2] \"deny-z\" (Admin, priority 10)");
    }

    @Test
    void anUnnamedRuleHasAnEmptyName() {
        Verdict v = verdict(twoNamespaces().with(ingress("let-a-in", Tier.ADMIN, 1,
                rule(null, RuleAction.ACCEPT, FROM_A))).with(policy("deny-all", "b", p -> { })));
        assertThat(v.allowed()).isTrue();
        assertThat(v.ingress().decision()).isEqualTo(clusterRule(Outcome.ALLOW, Tier.ADMIN, "let-a-in", 0, ""));
    }

    @Test
    void anAdminPassLeavesTheDecisionToNetworkPolicyAndStaysInTheReason() {
        Verdict v = verdict(twoNamespaces()
                .with(ingress("delegate", Tier.ADMIN, 1, rule("to-owners", RuleAction.PASS, FROM_A)))
                .with(policy("deny-all", "b", p -> { })));
        assertThat(v.allowed()).isFalse();
        assertThat(v.ingress().decision()).isEqualTo(Decision.defaultDeny(PolicyType.INGRESS,
                List.of(ObjectKey.networkPolicy("b", "deny-all"))));
        assertThat(v.ingress().passedBy()).isEqualTo(
                "ClusterNetworkPolicy delegate ingress[0] \"to-owners\" (Admin, priority 1)");
        assertThat(v.reasons().get(1)).startsWith("ingress: passed by ClusterNetworkPolicy delegate");
    }

    @Test
    void baselineDenyIsARuleOfTheBaselineTier() {
        Verdict v = verdict(twoNamespaces().with(ingress("default-deny-a", Tier.BASELINE, 3,
                rule("no-a", RuleAction.DENY, FROM_A))));
        assertThat(v.allowed()).isFalse();
        assertThat(v.ingress().decision())
                .isEqualTo(clusterRule(Outcome.DENY, Tier.BASELINE, "default-deny-a", 0, "no-a"));
    }

    @Test
    void aBaselinePassDecidesByPassingAndTheDefaultAllows() {
        Verdict v = verdict(twoNamespaces().with(ingress("b-pass", Tier.BASELINE, 1,
                rule("", RuleAction.PASS, FROM_A), rule("", RuleAction.DENY, FROM_A))));
        assertThat(v.allowed()).isTrue();
        Decision d = v.ingress().decision();
        assertThat(d).isEqualTo(clusterRule(Outcome.PASS, Tier.BASELINE, "b-pass", 0, ""));
        assertThat(d.allows()).isTrue();
    }

    @Test
    void noClusterPolicyRuleMatchingIsTheDefaultAllowOfAPodNothingIsolates() {
        Verdict v = verdict(twoNamespaces()
                .with(ingress("admin-c", Tier.ADMIN, 1, rule("", RuleAction.DENY, FROM_C)))
                .with(ingress("baseline-c", Tier.BASELINE, 1, rule("", RuleAction.DENY, FROM_C))));
        assertThat(v.allowed()).isTrue();
        assertThat(v.ingress().decision()).isEqualTo(Decision.notIsolated(PolicyType.INGRESS));
        assertThat(v.ingress().decidedBy()).contains("no ClusterNetworkPolicy rule matches");
    }

    @Test
    void aPodToItselfAndItsOwnNodeToItAreExemptOnBothSides() {
        Cluster c = twoNamespaces().with(pod("a", "kubelet").hostNetwork().ip("192.168.0.10"))
                .with(policy("deny-all", "b", p -> p.types(PolicyType.INGRESS, PolicyType.EGRESS)));
        List<Decision> exempt = List.of(Decision.exempt(PolicyType.EGRESS), Decision.exempt(PolicyType.INGRESS));
        assertThat(c.verdict("b/server", "b/server", 80, Protocol.TCP).decisions()).isEqualTo(exempt);
        assertThat(c.verdict("a/kubelet", "b/server", 80, Protocol.TCP).decisions()).isEqualTo(exempt);
    }

    @Test
    void anAddressOutsideThePodsIsNotIsolatedAndTheEgressSideIsJudged() {
        Cluster c = twoNamespaces().with(policy("no-egress", "b", p -> p.types(PolicyType.EGRESS)));
        PolicyGraph g = c.graph();
        Reachability r = new Reachability(g);
        Verdict v = r.evaluate(g.endpoint("b/server"), r.outside(IpAddress.parse("192.0.2.1")), 443, Protocol.TCP);
        assertThat(v.decisions()).containsExactly(
                Decision.defaultDeny(PolicyType.EGRESS, List.of(ObjectKey.networkPolicy("b", "no-egress"))),
                Decision.notIsolated(PolicyType.INGRESS));
    }
}
