package dev.weir.conformance;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;

/**
 * What a cluster must offer to run {@link Scenario}s: the lab implements it with its API server and real packets, the
 * explain runner ({@link ExplainCluster}) with the evaluator. {@link #observe} is called after the steps before it
 * have taken effect (the lab waits for its agents to apply them).
 */
public interface ScenarioCluster {

    /** Where the scenario's pods are, for ipBlock policies. */
    Scenario.Addresses addresses();

    /** Create, or replace by namespace and name. */
    void apply(NetworkPolicy policy);

    void delete(String namespace, String name);

    void deleteAllPolicies();

    /**
     * Create, or replace by name, a ClusterNetworkPolicy given as its manifest. Clusters that cannot (yet) hold them
     * keep this default, and scenarios that use them fail there rather than pass without them.
     */
    default void applyClusterPolicy(String name, String yaml) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot apply ClusterNetworkPolicy "
                + name);
    }

    default void deleteClusterPolicy(String name) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot delete ClusterNetworkPolicy "
                + name);
    }

    /** Add or overwrite labels. */
    void labelPod(String podKey, Map<String, String> labels);

    void labelNamespace(String namespace, Map<String, String> labels);

    /** The truth table as this cluster sees it now, over {@code pods}, for one target. */
    TruthTable observe(List<String> pods, PortProtocol target);
}
