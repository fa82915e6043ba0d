package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates group selectors over a fixed set of namespaces and endpoints. Eligible endpoints are indexed per namespace
 * and, within a namespace, by label {@code key=value}; a selector with an {@code In} requirement visits only the pods
 * carrying one of its values (the requirement with the fewest candidates), others visit their namespaces' pods.
 * The namespaces a namespaceSelector matches are computed once per distinct selector.
 */
final class SelectorIndex {

    private final Map<String, Namespace> namespaces = new HashMap<>();
    private final Map<String, NamespacePods> byNamespace = new HashMap<>();
    private final Map<LabelSelector, List<NamespacePods>> matchingNamespaces = new HashMap<>();

    /** {@code endpoints} keyed by endpoint key; the key instances are the ones {@link #select} returns. */
    SelectorIndex(Collection<Namespace> namespaces, Map<String, Endpoint> endpoints) {
        namespaces.forEach(n -> this.namespaces.put(n.name(), n));
        endpoints.forEach((key, e) -> {
            if (e.isPolicyEndpoint()) {
                byNamespace.computeIfAbsent(e.namespace(), NamespacePods::new).add(key, e);
            }
        });
    }

    /** Keys of the eligible endpoints the selector matches, unsorted. */
    List<String> select(GroupSelector s) {
        List<String> out = new ArrayList<>();
        if (s.namespace() != null) {
            NamespacePods pods = byNamespace.get(s.namespace());
            if (pods != null) {
                pods.collect(s.podSelector(), out);
            }
            return out;
        }
        for (NamespacePods pods : matchingNamespaces.computeIfAbsent(s.namespaceSelector(), this::namespacesMatching)) {
            pods.collect(s.podSelector(), out);
        }
        return out;
    }

    private List<NamespacePods> namespacesMatching(LabelSelector namespaceSelector) {
        GroupSelector probe = GroupSelector.acrossNamespaces(namespaceSelector, LabelSelector.all());
        List<NamespacePods> out = new ArrayList<>();
        for (NamespacePods pods : byNamespace.values()) {
            if (probe.matchesNamespace(pods.name, namespaces.get(pods.name))) {
                out.add(pods);
            }
        }
        return out;
    }

    /** The eligible pods of one namespace with a label index. */
    private static final class NamespacePods {
        final String name;
        final List<Member> all = new ArrayList<>();
        final Map<String, Map<String, List<Member>>> byLabel = new HashMap<>();

        NamespacePods(String name) {
            this.name = name;
        }

        void add(String key, Endpoint e) {
            Member m = new Member(key, e.labels());
            all.add(m);
            e.labels().forEach((k, v) -> byLabel.computeIfAbsent(k, x -> new HashMap<>())
                    .computeIfAbsent(v, x -> new ArrayList<>()).add(m));
        }

        void collect(LabelSelector selector, List<String> out) {
            LabelSelector.Requirement narrowest = null;
            int fewest = Integer.MAX_VALUE;
            for (LabelSelector.Requirement r : selector.requirements()) {
                if (r.operator() != LabelSelector.Operator.IN) {
                    continue;
                }
                Map<String, List<Member>> values = byLabel.getOrDefault(r.key(), Map.of());
                int count = 0;
                for (String v : r.values()) {
                    count += values.getOrDefault(v, List.of()).size();
                }
                if (count < fewest) {
                    fewest = count;
                    narrowest = r;
                }
            }
            if (narrowest == null) {
                filter(selector, all, out);
                return;
            }
            Map<String, List<Member>> values = byLabel.getOrDefault(narrowest.key(), Map.of());
            for (String v : narrowest.values()) {
                filter(selector, values.getOrDefault(v, List.of()), out);
            }
        }

        private static void filter(LabelSelector selector, List<Member> candidates, List<String> out) {
            if (selector.matchesAll()) {
                for (Member m : candidates) {
                    out.add(m.key);
                }
                return;
            }
            for (Member m : candidates) {
                if (selector.matches(m.labels)) {
                    out.add(m.key);
                }
            }
        }
    }

    /** An eligible endpoint as the index needs it: its shared key string and its labels. */
    private record Member(String key, Map<String, String> labels) {
    }
}
