package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Evaluates group selectors over a fixed set of namespaces and endpoints, visiting only candidate namespaces. */
final class SelectorIndex {

    private final Map<String, Namespace> namespaces = new HashMap<>();
    private final Map<String, List<Endpoint>> eligibleByNamespace = new HashMap<>();

    SelectorIndex(Collection<Namespace> namespaces, Collection<Endpoint> endpoints) {
        namespaces.forEach(n -> this.namespaces.put(n.name(), n));
        for (Endpoint e : endpoints) {
            if (e.isPolicyEndpoint()) {
                eligibleByNamespace.computeIfAbsent(e.namespace(), k -> new ArrayList<>()).add(e);
            }
        }
    }

    /** Keys of the eligible endpoints the selector matches. */
    List<String> select(GroupSelector s) {
        List<String> out = new ArrayList<>();
        if (s.namespace() != null) {
            collect(s, eligibleByNamespace.getOrDefault(s.namespace(), List.of()), out);
            return out;
        }
        for (Map.Entry<String, List<Endpoint>> e : eligibleByNamespace.entrySet()) {
            Namespace ns = namespaces.get(e.getKey());
            // a pod whose namespace object is unknown matches no namespaceSelector: its labels cannot be judged
            if (ns != null && s.namespaceSelector().matches(ns.labels())) {
                collect(s, e.getValue(), out);
            }
        }
        return out;
    }

    private static void collect(GroupSelector s, List<Endpoint> candidates, List<String> out) {
        for (Endpoint e : candidates) {
            if (s.podSelector().matches(e.labels())) {
                out.add(e.key());
            }
        }
    }
}
