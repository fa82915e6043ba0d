package dev.weir.conformance;

import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.explain.TruthTableText;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays a {@link Scenario}'s steps against a {@link ScenarioCluster} and returns, per Expect step, the observed table
 * and the cells that differ from the expected one. The same loop serves explain ({@link ExplainCluster}) and the lab.
 */
public final class ScenarioRunner {

    /** The outcome of one Expect step. */
    public record Check(int step, Scenario.Expect expect, TruthTable actual, List<TruthTableDiff.Difference> diff) {
        public boolean passed() {
            return diff.isEmpty();
        }

        /** Expected and observed tables, their comparison and the differing cells, for a failure message. */
        public String report() {
            return "step " + step + " (" + expect.target() + "):\nexpected:\n"
                    + TruthTableText.render(expect.table(), expect.target()) + "\nobserved:\n"
                    + TruthTableText.render(actual, expect.target()) + "\n"
                    + TruthTableText.comparison(expect.table(), actual, expect.target()) + "\n"
                    + TruthTableDiff.render(diff);
        }
    }

    private ScenarioRunner() {
    }

    /** Runs the scenario through {@code weir explain}'s evaluator. */
    public static List<Check> run(Scenario scenario) {
        return run(scenario, new ExplainCluster(scenario.pods()));
    }

    public static List<Check> run(Scenario scenario, ScenarioCluster cluster) {
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < scenario.steps().size(); i++) {
            Scenario.Step step = scenario.steps().get(i);
            if (step instanceof Scenario.ApplyPolicy a) {
                NetworkPolicy p = a.policy().apply(cluster.addresses());
                cluster.apply(p);
            } else if (step instanceof Scenario.DeletePolicy d) {
                cluster.delete(d.namespace(), d.name());
            } else if (step instanceof Scenario.ApplyClusterPolicy a) {
                cluster.applyClusterPolicy(a.name(), a.yaml().apply(cluster.addresses()));
            } else if (step instanceof Scenario.DeleteClusterPolicy d) {
                cluster.deleteClusterPolicy(d.name());
            } else if (step instanceof Scenario.DeleteAllPolicies) {
                cluster.deleteAllPolicies();
            } else if (step instanceof Scenario.LabelPod l) {
                cluster.labelPod(l.podKey(), l.labels());
            } else if (step instanceof Scenario.LabelNamespace l) {
                cluster.labelNamespace(l.namespace(), l.labels());
            } else if (step instanceof Scenario.Expect e) {
                TruthTable actual = cluster.observe(scenario.pods(), e.target());
                checks.add(new Check(i, e, actual, TruthTableDiff.between(e.table(), actual)));
            } else {
                throw new AssertionError(step);
            }
        }
        return checks;
    }
}
