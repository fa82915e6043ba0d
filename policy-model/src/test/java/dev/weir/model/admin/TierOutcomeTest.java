package dev.weir.model.admin;

import static dev.weir.model.admin.Fixtures.namespace;
import static dev.weir.model.admin.Fixtures.policy;
import static dev.weir.model.admin.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.LabelSelector;
import dev.weir.model.PolicyType;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class TierOutcomeTest {

    /** Matches rules whose (namespace) peer selects a destination namespace called {@code ns}. */
    static Predicate<PositionedRule> toNamespace(String ns) {
        Map<String, String> labels = Map.of("kubernetes.io/metadata.name", ns);
        return r -> r.rule().peers().stream()
                .anyMatch(p -> p instanceof ClusterPolicyPeer.Namespaces n && n.selects(labels));
    }

    static final List<ClusterPolicy> POLICIES = List.of(
            policy("first", Tier.ADMIN, 10, List.of(), List.of(rule(RuleAction.PASS, namespace("dev")))),
            policy("second", Tier.ADMIN, 20, List.of(), List.of(
                    rule(RuleAction.DENY, namespace("dev")),
                    rule(RuleAction.DENY, namespace("prod")),
                    rule(RuleAction.ACCEPT, namespace("prod")))),
            policy("base", Tier.BASELINE, 0, List.of(), List.of(rule(RuleAction.DENY,
                    new ClusterPolicyPeer.Namespaces(LabelSelector.all())))));

    static final List<PositionedRule> ORDER = ClusterPolicy.evaluationOrder(POLICIES, PolicyType.EGRESS);

    @Test
    void passSkipsTheRestOfTheAdminTierEvenADenyThatMatches() {
        TierOutcome admin = TierOutcome.evaluate(ORDER, Tier.ADMIN, toNamespace("dev"));
        assertThat(admin).isInstanceOf(TierOutcome.Passed.class);
        assertThat(admin.isFinal()).isFalse();
        assertThat(admin.rule().position().policy()).isEqualTo("first");
    }

    @Test
    void theFirstMatchingRuleDecidesWithinAPolicy() {
        TierOutcome admin = TierOutcome.evaluate(ORDER, Tier.ADMIN, toNamespace("prod"));
        assertThat(admin).isInstanceOf(TierOutcome.Denied.class);
        assertThat(admin.rule().position().index()).isEqualTo(1);
    }

    @Test
    void noMatchLeavesTheDecisionToTheNextTier() {
        assertThat(TierOutcome.evaluate(ORDER, Tier.ADMIN, toNamespace("other")))
                .isInstanceOf(TierOutcome.NoMatch.class);
        assertThat(TierOutcome.evaluate(ORDER, Tier.BASELINE, toNamespace("other")))
                .isInstanceOf(TierOutcome.Denied.class);
    }

    @Test
    void aTierOnlyLooksAtItsOwnRules() {
        List<PositionedRule> adminOnly = ClusterPolicy.evaluationOrder(POLICIES.subList(0, 2), PolicyType.EGRESS);
        assertThat(TierOutcome.evaluate(adminOnly, Tier.BASELINE, r -> true)).isInstanceOf(TierOutcome.NoMatch.class);
    }
}
