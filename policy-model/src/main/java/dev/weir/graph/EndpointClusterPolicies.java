package dev.weir.graph;

import dev.weir.model.PolicyType;
import java.util.List;

/**
 * The ClusterNetworkPolicies whose subject holds one endpoint and that have rules for a direction, as policy names in
 * evaluation order (Admin tier by priority then name, then Baseline likewise).
 */
public record EndpointClusterPolicies(List<String> ingress, List<String> egress) {

    private static final EndpointClusterPolicies NONE = new EndpointClusterPolicies(List.of(), List.of());

    public EndpointClusterPolicies {
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    public static EndpointClusterPolicies none() {
        return NONE;
    }

    public List<String> policies(PolicyType type) {
        return type == PolicyType.INGRESS ? ingress : egress;
    }

    public boolean isEmpty() {
        return ingress.isEmpty() && egress.isEmpty();
    }
}
