package dev.weir.model;

import java.util.Collection;
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
        // by namespace/name text, the order every table of the graph keeps
        endpoints = endpoints.stream().sorted(Comparator.comparing((Endpoint e) -> e.key().namespacedName()))
                .toList();
        policies = policies.stream().sorted(Comparator.comparing((NetworkPolicy p) -> p.key().namespacedName()))
                .toList();
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

    /** The snapshot holding {@code objects}, each sorted into its list by kind. */
    public static ClusterSnapshot of(Collection<? extends ClusterObject> objects) {
        return new ClusterSnapshot(ofType(objects, Namespace.class), ofType(objects, Endpoint.class),
                ofType(objects, NetworkPolicy.class), ofType(objects, ClusterPolicy.class),
                ofType(objects, Node.class));
    }

    private static <T> List<T> ofType(Collection<? extends ClusterObject> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
