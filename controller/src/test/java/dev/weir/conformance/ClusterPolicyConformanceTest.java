package dev.weir.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ClusterNetworkPolicy scenarios through {@code weir explain}'s evaluator. */
class ClusterPolicyConformanceTest {

    static List<Scenario> scenarios() {
        return ScenarioCatalogue.clusterPolicies();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void explainMatchesTheExpectedTruthTables(Scenario scenario) {
        List<ScenarioRunner.Check> checks = ScenarioRunner.run(scenario);

        assertThat(checks).as("scenario has expectations").isNotEmpty();
        String failures = checks.stream().filter(c -> !c.passed()).map(ScenarioRunner.Check::report)
                .collect(Collectors.joining("\n"));
        assertThat(failures).as(scenario.name()).isEmpty();
    }

    @Test
    void everyExpectationDeniesSomethingSoNoScenarioPassesByDefault() {
        for (Scenario s : scenarios()) {
            long denying = s.steps().stream().filter(st -> st instanceof Scenario.Expect e
                    && e.table().entries().stream().anyMatch(c -> !c.cell().allowed())).count();
            assertThat(denying).as(s.name()).isPositive();
        }
    }

    @Test
    void aClusterWithoutClusterPolicySupportFailsTheScenarioInsteadOfSkippingTheStep() {
        ScenarioCluster plain = new ScenarioCluster() {
            @Override
            public Scenario.Addresses addresses() {
                return NetpolCluster::address;
            }

            @Override
            public void apply(NetworkPolicy policy) {
            }

            @Override
            public void delete(String namespace, String name) {
            }

            @Override
            public void deleteAllPolicies() {
            }

            @Override
            public void labelPod(String podKey, Map<String, String> labels) {
            }

            @Override
            public void labelNamespace(String namespace, Map<String, String> labels) {
            }

            @Override
            public TruthTable observe(List<String> pods, PortProtocol target) {
                throw new AssertionError("not reached");
            }
        };
        assertThatThrownBy(() -> ScenarioRunner.run(scenarios().get(0), plain))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("priority-50");
    }
}
