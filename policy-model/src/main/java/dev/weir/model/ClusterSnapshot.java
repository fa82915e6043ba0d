package dev.weir.model;

import java.util.Comparator;
import java.util.List;

/** Everything policy depends on at one moment: the compiler's whole input. Sorted so iteration is deterministic. */
public record ClusterSnapshot(List<Namespace> namespaces, List<Endpoint> endpoints, List<NetworkPolicy> policies) {

    public ClusterSnapshot {
        namespaces = namespaces.stream().sorted(Comparator.comparing(Namespace::name)).toList();
        endpoints = endpoints.stream().sorted(Comparator.comparing(Endpoint::key)).toList();
        policies = policies.stream().sorted(Comparator.comparing(NetworkPolicy::key)).toList();
    }

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(List.of(), List.of(), List.of());
    }
}
