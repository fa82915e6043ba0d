package dev.weir.conformance;

import dev.weir.explain.Explainer;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.Translated;
import dev.weir.k8s.admin.ClusterPolicyManifests;
import dev.weir.model.ClusterPolicy;
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
 * A {@link ScenarioCluster} that is what {@code weir explain} does: fabric8 objects → {@link ModelTranslator} →
 * {@link PolicyCompiler} → {@link Reachability} → {@link TruthTable}. Pods get {@link NetpolCluster#address} and
 * alternate between two nodes, so same-node and cross-node pairs both occur.
 */
public final class ExplainCluster implements ScenarioCluster {

    private final Map<String, io.fabric8.kubernetes.api.model.Namespace> namespaces = new TreeMap<>();
    private final Map<String, Pod> pods = new TreeMap<>();
    private final Map<String, NetworkPolicy> policies = new TreeMap<>();
    private final Map<String, String> clusterPolicies = new TreeMap<>();

    public ExplainCluster(List<String> podKeys) {
        for (String ns : NetpolCluster.NAMESPACES) {
            namespaces.put(ns, NetpolCluster.namespace(ns));
        }
        for (String key : podKeys) {
            String node = "node-" + (1 + podKeys.indexOf(key) % 2);
            pods.put(key, NetpolCluster.pod(key, NetpolCluster.address(key), node));
        }
    }

    @Override
    public Scenario.Addresses addresses() {
        return NetpolCluster::address;
    }

    @Override
    public void apply(NetworkPolicy policy) {
        policies.put(policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName(), policy);
    }

    @Override
    public void delete(String namespace, String name) {
        if (policies.remove(namespace + "/" + name) == null) {
            throw new IllegalStateException("no policy " + namespace + "/" + name + " to delete");
        }
    }

    @Override
    public void applyClusterPolicy(String name, String yaml) {
        clusterPolicies.put(name, yaml);
    }

    @Override
    public void deleteClusterPolicy(String name) {
        if (clusterPolicies.remove(name) == null) {
            throw new IllegalStateException("no ClusterNetworkPolicy " + name + " to delete");
        }
    }

    @Override
    public void deleteAllPolicies() {
        policies.clear();
    }

    @Override
    public void labelPod(String podKey, Map<String, String> labels) {
        Pod pod = pods.get(podKey);
        Map<String, String> merged = new HashMap<>(pod.getMetadata().getLabels());
        merged.putAll(labels);
        pod.getMetadata().setLabels(merged);
    }

    @Override
    public void labelNamespace(String namespace, Map<String, String> labels) {
        var ns = namespaces.get(namespace);
        Map<String, String> merged = new HashMap<>(ns.getMetadata().getLabels());
        merged.putAll(labels);
        ns.getMetadata().setLabels(merged);
    }

    @Override
    public TruthTable observe(List<String> podKeys, PortProtocol target) {
        return Explainer.table(new Reachability(PolicyCompiler.compile(snapshot())), podKeys, List.of(target));
    }

    private ClusterSnapshot snapshot() {
        List<Diagnostic> rejected = new ArrayList<>();
        List<Namespace> ns = new ArrayList<>();
        namespaces.values().forEach(n -> keep(ModelTranslator.namespace(n), ns, rejected));
        List<Endpoint> eps = new ArrayList<>();
        pods.values().forEach(p -> keep(ModelTranslator.pod(p), eps, rejected));
        List<dev.weir.model.NetworkPolicy> nps = new ArrayList<>();
        policies.values().forEach(p -> keep(ModelTranslator.networkPolicy(p), nps, rejected));
        List<ClusterPolicy> cnps = new ArrayList<>();
        for (String yaml : clusterPolicies.values()) {
            for (Translated<ClusterPolicy> t : ClusterPolicyManifests.translate(yaml)) {
                if (t.isAccepted() && t.diagnostics().isEmpty()) {
                    cnps.add(t.value().get());
                } else {
                    rejected.addAll(t.diagnostics());
                }
            }
        }
        if (!rejected.isEmpty()) {
            throw new IllegalStateException("a conformance scenario must only hold valid objects: " + rejected);
        }
        return new ClusterSnapshot(ns, eps, nps, cnps);
    }

    private static <T> void keep(Translated<T> t, List<T> into, List<Diagnostic> rejected) {
        t.value().ifPresent(into::add);
        rejected.addAll(t.diagnostics());
    }
}
