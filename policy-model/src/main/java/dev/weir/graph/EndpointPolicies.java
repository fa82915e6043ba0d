package dev.weir.graph;

import dev.weir.model.PolicyType;
import java.util.List;

/**
 * The policies that select one endpoint, per direction, as ordered policy keys. A non-empty list means the endpoint is
 * isolated in that direction: only traffic some rule of these policies allows may pass.
 */
public record EndpointPolicies(List<String> ingress, List<String> egress) {

    private static final EndpointPolicies NONE = new EndpointPolicies(List.of(), List.of());

    public EndpointPolicies {
        ingress = SortedKeys.of(ingress);
        egress = SortedKeys.of(egress);
    }

    public static EndpointPolicies none() {
        return NONE;
    }

    public List<String> policies(PolicyType type) {
        return type == PolicyType.INGRESS ? ingress : egress;
    }

    public boolean isolated(PolicyType type) {
        return !policies(type).isEmpty();
    }
}
