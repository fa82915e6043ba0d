package dev.weir.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Upstream's NetworkPolicy e2e scenarios (and weir's additions) through {@code weir explain}'s evaluator. */
class ConformanceTest {

    static List<Scenario> scenarios() {
        return ScenarioCatalogue.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void explainMatchesTheExpectedTruthTables(Scenario scenario) {
        List<ScenarioRunner.Check> checks = ScenarioRunner.run(scenario);

        assertThat(checks).as("scenario has expectations").isNotEmpty();
        String failures = checks.stream().filter(c -> !c.diff().isEmpty()).map(ScenarioRunner.Check::report)
                .collect(Collectors.joining("\n"));
        assertThat(failures).as(scenario.name()).isEmpty();
    }

    @Test
    void catalogueCoversUpstreamAndHasUniqueNames() {
        List<Scenario> all = scenarios();
        assertThat(all.stream().filter(s -> s.source().equals("upstream")).count()).isGreaterThanOrEqualTo(48);
        assertThat(new HashSet<>(all.stream().map(Scenario::name).toList())).hasSize(all.size());
    }

    @Test
    void runnerReportsADifferenceWhenTheExpectationIsWrong() {
        Scenario wrong = Scenario.named("deny-all expected to allow").pods("x/a", "y/a")
                .apply(Policies.np("x", "deny", "podSelector: {}\npolicyTypes: [Ingress]\n"))
                .expect(Scenario.TCP_80, r -> r).build();

        List<ScenarioRunner.Check> checks = ScenarioRunner.run(wrong);

        assertThat(checks.get(0).diff()).extracting(Object::toString)
                .containsExactly("y/a -> x/a 80/TCP: expected allow, got deny");
        assertThat(checks.get(0).report()).contains("expected:").contains("observed:");
    }
}
