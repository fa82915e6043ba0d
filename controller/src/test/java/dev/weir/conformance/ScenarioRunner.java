package dev.weir.conformance;

import dev.weir.explain.Explainer;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.explain.TruthTableText;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.Translated;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link Scenario} through what {@code weir explain} does — fabric8 objects → {@link ModelTranslator} →
 * {@link PolicyCompiler} → {@link Reachability} → {@link TruthTable} — and returns, per Expect step, the differences.
 */
public final class ScenarioRunner {

    /** The outcome of one Expect step. */
    public record Check(int step, Scenario.Expect expect, TruthTable actual, List<TruthTableDiff.Difference> diff) {
        public String report() {
            return "step " + step + " (" + expect.target() + "):\nexpected:\n"
                    + TruthTableText.render(expect.table(), expect.target()) + "\nobserved (explain):\n"
                    + TruthTableText.render(actual, expect.target()) + "\n"
                    + TruthTableText.comparison(expect.table(), actual, expect.target()) + "\n"
                    + TruthTableDiff.render(diff);
        }
    }

    private final Map<String, io.fabric8.kubernetes.api.model.Namespace> namespaces = new TreeMap<>();
    private final Map<String, Pod> pods = new TreeMap<>();
    private final Map<String, NetworkPolicy> policies = new TreeMap<>();

    private ScenarioRunner(Scenario scenario) {
        for (String ns : NetpolCluster.NAMESPACES) {
            namespaces.put(ns, NetpolCluster.namespace(ns));
        }
        for (String key : scenario.pods()) {
            // two nodes, so same-node and cross-node pairs both occur (they must not differ in explain)
            String node = "node-" + (1 + scenario.pods().indexOf(key) % 2);
            pods.put(key, NetpolCluster.pod(key, NetpolCluster.address(key), node));
        }
    }

    public static List<Check> run(Scenario scenario) {
        ScenarioRunner r = new ScenarioRunner(scenario);
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < scenario.steps().size(); i++) {
            Scenario.Step step = scenario.steps().get(i);
            if (step instanceof Scenario.ApplyPolicy a) {
                NetworkPolicy p = a.policy().apply(NetpolCluster::address);
                r.policies.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
            } else if (step instanceof Scenario.DeletePolicy d) {
                if (r.policies.remove(d.namespace() + "/" + d.name()) == null) {
                    throw new IllegalStateException("step " + i + " deletes a policy that does not exist: " + d);
                }
            } else if (step instanceof Scenario.DeleteAllPolicies) {
                r.policies.clear();
            } else if (step instanceof Scenario.LabelPod l) {
                Pod pod = r.pods.get(l.podKey());
                Map<String, String> labels = new HashMap<>(pod.getMetadata().getLabels());
                labels.putAll(l.labels());
                pod.getMetadata().setLabels(labels);
            } else if (step instanceof Scenario.LabelNamespace l) {
                var ns = r.namespaces.get(l.namespace());
                Map<String, String> labels = new HashMap<>(ns.getMetadata().getLabels());
                labels.putAll(l.labels());
                ns.getMetadata().setLabels(labels);
            } else if (step instanceof Scenario.Expect e) {
                TruthTable actual = Explainer.table(new Reachability(PolicyCompiler.compile(r.snapshot())),
                        scenario.pods(), List.of(e.target()));
                checks.add(new Check(i, e, actual, TruthTableDiff.between(e.table(), actual)));
            } else {
                throw new AssertionError(step);
            }
        }
        return checks;
    }

    private ClusterSnapshot snapshot() {
        List<Diagnostic> rejected = new ArrayList<>();
        List<Namespace> ns = new ArrayList<>();
        namespaces.values().forEach(n -> keep(ModelTranslator.namespace(n), ns, rejected));
        List<Endpoint> eps = new ArrayList<>();
        pods.values().forEach(p -> keep(ModelTranslator.pod(p), eps, rejected));
        List<dev.weir.model.NetworkPolicy> nps = new ArrayList<>();
        policies.values().forEach(p -> keep(ModelTranslator.networkPolicy(p), nps, rejected));
        if (!rejected.isEmpty()) {
            throw new IllegalStateException("a conformance scenario must only hold valid objects: " + rejected);
        }
        return new ClusterSnapshot(ns, eps, nps);
    }

    private static <T> void keep(Translated<T> t, List<T> into, List<Diagnostic> rejected) {
        t.value().ifPresent(into::add);
        rejected.addAll(t.diagnostics());
    }
}
