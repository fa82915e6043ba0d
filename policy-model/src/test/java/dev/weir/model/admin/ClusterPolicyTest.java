package dev.weir.model.admin;

import static dev.weir.model.admin.Fixtures.namespace;
import static dev.weir.model.admin.Fixtures.networks;
import static dev.weir.model.admin.Fixtures.policy;
import static dev.weir.model.admin.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.LabelSelector;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterPolicyTest {

    @ParameterizedTest(name = "priority {0}")
    @ValueSource(ints = {-1, 1001, Integer.MAX_VALUE})
    void priorityOutside0To1000IsRejected(int priority) {
        assertThatIllegalArgumentException().isThrownBy(() -> policy("p", Tier.ADMIN, priority, List.of(), List.of()))
                .withMessageContaining("priority " + priority);
    }

    @ParameterizedTest(name = "priority {0}")
    @ValueSource(ints = {0, 1000})
    void priorityBoundsAreAccepted(int priority) {
        assertThat(policy("p", Tier.BASELINE, priority, List.of(), List.of()).priority()).isEqualTo(priority);
    }

    @Test
    void ingressRulesMayNotNameNetworks() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy("p", Tier.ADMIN, 1, List.of(rule(RuleAction.DENY, networks("10.0.0.0/8"))),
                        List.of()))
                .withMessageContaining("egress rules only");
    }

    @Test
    void ingressRulesMayNotNameNodes() {
        ClusterPolicyRule fromNodes = rule(RuleAction.ACCEPT, new ClusterPolicyPeer.Nodes(LabelSelector.all()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> policy("p", Tier.ADMIN, 1, List.of(fromNodes), List.of()));
    }

    @Test
    void moreThan25RulesPerDirectionAreRejected() {
        List<ClusterPolicyRule> many = Collections.nCopies(26, rule(RuleAction.DENY, namespace("a")));
        assertThatIllegalArgumentException().isThrownBy(() -> policy("p", Tier.ADMIN, 1, List.of(), many))
                .withMessageContaining("at most 25");
    }

    @Test
    void aPolicyWithoutRulesOfADirectionDoesNotAffectIt() {
        ClusterPolicy egressOnly = policy("p", Tier.ADMIN, 1, List.of(),
                List.of(rule(RuleAction.DENY, networks("0.0.0.0/0"))));
        assertThat(egressOnly.affects(PolicyType.EGRESS)).isTrue();
        assertThat(egressOnly.affects(PolicyType.INGRESS)).isFalse();
    }

    @Test
    void rulesThatMatchNothingKeepTheIndexesButDoNotMakeThePolicyAffectADirection() {
        ClusterPolicyRule nothing = ClusterPolicyRule.matchingNothing("unenforceable", RuleAction.ACCEPT);
        ClusterPolicy p = policy("p", Tier.ADMIN, 1, List.of(nothing, rule(RuleAction.DENY, namespace("a"))),
                List.of(nothing));
        assertThat(nothing.matchesNothing()).isTrue();
        assertThat(p.positionedRules(PolicyType.INGRESS).get(1).position().index()).isEqualTo(1);
        assertThat(p.affects(PolicyType.INGRESS)).isTrue();
        assertThat(p.affects(PolicyType.EGRESS)).isFalse();
    }

    @Test
    void keyNamesAClusterScopedObject() {
        ObjectKey key = policy("deny-metadata", Tier.ADMIN, 1, List.of(), List.of()).key();
        assertThat(key).isEqualTo(new ObjectKey(ObjectKey.Kind.CLUSTER_NETWORK_POLICY, null, "deny-metadata"));
        assertThat(key).hasToString("ClusterNetworkPolicy deny-metadata");
    }

    @Test
    void rulesAreCopiedSoTheRecordCannotChangeUnderItsUsers() {
        List<ClusterPolicyRule> rules = new java.util.ArrayList<>(List.of(rule(RuleAction.DENY, namespace("a"))));
        ClusterPolicy p = policy("p", Tier.ADMIN, 1, rules, List.of());
        rules.clear();
        assertThat(p.ingress()).hasSize(1);
    }
}
