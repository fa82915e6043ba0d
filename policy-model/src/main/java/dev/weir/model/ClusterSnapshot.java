package dev.weir.model;

import dev.weir.model.admin.ClusterPolicy;
import java.util.Comparator;
import java.util.List;

/**
 * Everything policy depends on at one moment: the compiler's whole input. Sorted so iteration is deterministic.
 * {@code clusterPolicies} are the ClusterNetworkPolicies (Admin and Baseline tiers), sorted by name; {@code nodes}
 * the Node objects (what {@code nodes} peers select), sorted by name.
 */
public record ClusterSnapshot(List<Namespace> namespaces, List<Endpoint> endpoints, List<NetworkPolicy> policies,
        List<ClusterPolicy> clusterPolicies, List<Node> nodes) {

    public ClusterSnapshot {
        namespaces = namespaces.stream().sorted(Comparator.comparing(Namespace::name)).toList();
        endpoints = endpoints.stream().sorted(Comparator.comparing(Endpoint::key)).toList();
        policies = policies.stream().sorted(Comparator.comparing(NetworkPolicy::key)).toList();
        clusterPolicies = clusterPolicies.stream().sorted(Comparator.comparing(ClusterPolicy::name)).toList();
        nodes = nodes.stream().sorted(Comparator.comparing(Node::name)).toList();
    }

    /** A snapshot without Node objects. */
    public ClusterSnapshot(List<Namespace> namespaces, List<Endpoint> endpoints, List<NetworkPolicy> policies,
            List<ClusterPolicy> clusterPolicies) {
        this(namespaces, endpoints, policies, clusterPolicies, List.of());
    }

    /** A snapshot without ClusterNetworkPolicies and Node objects. */
    public ClusterSnapshot(List<Namespace> namespaces, List<Endpoint> endpoints, List<NetworkPolicy> policies) {
        this(namespaces, endpoints, policies, List.of(), List.of());
    }

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
