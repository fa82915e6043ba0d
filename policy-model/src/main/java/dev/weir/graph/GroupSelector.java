package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import java.util.Objects;

/**
 * Which pods a peer or a policy's podSelector means, in canonical form: either the pods of one named namespace
 * ({@code namespace != null}) or the pods of every namespace whose labels match {@code namespaceSelector}, in both
 * cases ANDed with {@code podSelector}. Selectors that mean the same compile to equal values, so policies share groups.
 */
public record GroupSelector(String namespace, LabelSelector namespaceSelector, LabelSelector podSelector) {

    public GroupSelector {
        Objects.requireNonNull(podSelector, "podSelector");
        if ((namespace == null) == (namespaceSelector == null)) {
            throw new IllegalArgumentException("exactly one of namespace and namespaceSelector must be set");
        }
    }

    public static GroupSelector inNamespace(String namespace, LabelSelector podSelector) {
        return new GroupSelector(namespace, null, podSelector);
    }

    public static GroupSelector acrossNamespaces(LabelSelector namespaceSelector, LabelSelector podSelector) {
        return new GroupSelector(null, namespaceSelector, podSelector);
    }

    /**
     * Whether a pod belongs, judged on labels alone (the caller checks eligibility). {@code ns} is the pod's namespace
     * object, or null when it is not (yet) known.
     */
    public boolean matches(Endpoint endpoint, Namespace ns) {
        return matchesNamespace(endpoint.namespace(), ns) && podSelector.matches(endpoint.labels());
    }

    /**
     * Whether pods of namespace {@code name} (object {@code ns}, null when unknown) can belong. An unknown namespace
     * matches only the empty namespaceSelector: {@code {}} means every namespace whatever its labels, while a selector
     * that reads labels cannot be judged on labels we have not seen, so it fails closed.
     */
    public boolean matchesNamespace(String name, Namespace ns) {
        if (namespace != null) {
            return namespace.equals(name);
        }
        return namespaceSelector.matchesAll() || (ns != null && namespaceSelector.matches(ns.labels()));
    }

    /** Stable text identifying the group: {@code ns:dev/pods:app in (web)} or {@code nssel:team in (a)/pods:}. */
    public String canonical() {
        return (namespace != null ? "ns:" + namespace : "nssel:" + namespaceSelector.canonical())
                + "/pods:" + podSelector.canonical();
    }

    /** A short, stable id derived from {@link #canonical()} (hash of content, as Felix names its ipsets). */
    public String id() {
        return Ids.hash("g", canonical());
    }

    @Override
    public String toString() {
        return canonical();
    }
}
