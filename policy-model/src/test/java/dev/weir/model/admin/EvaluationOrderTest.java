package dev.weir.model.admin;

import static dev.weir.model.admin.Fixtures.namespace;
import static dev.weir.model.admin.Fixtures.policy;
import static dev.weir.model.admin.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.CompiledPolicy;
import dev.weir.graph.PolicyCompiler;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.PolicyType;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules are tried in (tier, priority, policy name, rule index) order, whatever order the policies arrive in. */
class EvaluationOrderTest {

    static ClusterPolicy twoRules(String name, Tier tier, int priority) {
        return policy(name, tier, priority, List.of(),
                List.of(rule(RuleAction.DENY, namespace("a")), rule(RuleAction.ACCEPT, namespace("b"))));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Named.of("baseline after admin even with a lower priority value",
                        List.of(twoRules("base", Tier.BASELINE, 0), twoRules("adm", Tier.ADMIN, 900))),
                        List.of("Admin/900/adm/egress[0]", "Admin/900/adm/egress[1]",
                                "Baseline/0/base/egress[0]", "Baseline/0/base/egress[1]")),
                Arguments.of(Named.of("lower priority value first",
                        List.of(twoRules("z", Tier.ADMIN, 20), twoRules("y", Tier.ADMIN, 10))),
                        List.of("Admin/10/y/egress[0]", "Admin/10/y/egress[1]",
                                "Admin/20/z/egress[0]", "Admin/20/z/egress[1]")),
                Arguments.of(Named.of("same tier and priority: by name, rules not interleaved",
                        List.of(twoRules("beta", Tier.ADMIN, 5), twoRules("alpha", Tier.ADMIN, 5))),
                        List.of("Admin/5/alpha/egress[0]", "Admin/5/alpha/egress[1]",
                                "Admin/5/beta/egress[0]", "Admin/5/beta/egress[1]")),
                Arguments.of(Named.of("rule index above 9 sorts numerically",
                        List.of(policy("many", Tier.ADMIN, 1, List.of(),
                                java.util.Collections.nCopies(11, rule(RuleAction.PASS, namespace("a")))))),
                        java.util.stream.IntStream.range(0, 11).mapToObj(i -> "Admin/1/many/egress[" + i + "]")
                                .toList()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rulesAreOrderedByTierPriorityNameAndIndex(List<ClusterPolicy> policies, List<String> expected) {
        assertThat(ClusterPolicy.evaluationOrder(policies, PolicyType.EGRESS))
                .extracting(r -> r.position().toString())
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGraphsPolicyOrderAgreesWithRuleOrder(List<ClusterPolicy> policies, List<String> expected) {
        // the order in which the graph lists the policies selecting a pod (CompiledPolicy.ORDER)
        List<String> byPolicy = policies.stream()
                .sorted(Comparator.comparing(PolicyCompiler::compile, CompiledPolicy.ORDER))
                .flatMap(p -> p.positionedRules(PolicyType.EGRESS).stream())
                .map(r -> r.position().toString()).toList();
        assertThat(byPolicy).containsExactlyElementsOf(expected);
    }
}
