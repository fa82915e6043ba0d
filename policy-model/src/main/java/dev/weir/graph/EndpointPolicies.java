package dev.weir.graph;

import dev.weir.model.PolicyType;
import java.util.List;

/**
 * The policies of every tier that select one endpoint, per direction, as {@link CompiledPolicy#key}s in evaluation
 * order ({@link CompiledPolicy#ORDER}: Admin tier by priority then name, NetworkPolicies by key, Baseline tier by
 * priority then name). The endpoint is isolated in a direction when a NetworkPolicy is among them.
 */
public record EndpointPolicies(List<String> ingress, List<String> egress) {

    private static final EndpointPolicies NONE = new EndpointPolicies(List.of(), List.of());

    public EndpointPolicies {
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    public static EndpointPolicies none() {
        return NONE;
    }

    public List<String> policies(PolicyType type) {
        return type == PolicyType.INGRESS ? ingress : egress;
    }
}
