package dev.weir.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Names one Kubernetes object: its kind, its namespace (null for a cluster-scoped kind) and its name. The key every
 * event, table of cluster state and diagnostic uses, so an upsert and a delete of one object meet on it.
 */
public record ObjectKey(Kind kind, String namespace, String name) implements Comparable<ObjectKey> {

    /** The kinds of object policy reads, with their API kind names. */
    public enum Kind {
        NAMESPACE("Namespace", false),
        POD("Pod", true),
        NODE("Node", false),
        NETWORK_POLICY("NetworkPolicy", true),
        CLUSTER_NETWORK_POLICY("ClusterNetworkPolicy", false);

        private final String apiKind;
        private final boolean namespaced;

        Kind(String apiKind, boolean namespaced) {
            this.apiKind = apiKind;
            this.namespaced = namespaced;
        }

        /** The {@code kind} field of the API object. */
        public String apiKind() {
            return apiKind;
        }

        public boolean namespaced() {
            return namespaced;
        }

        /** The kind whose API name is {@code apiKind}, if policy reads that kind. */
        public static Optional<Kind> ofApiKind(String apiKind) {
            return Arrays.stream(values()).filter(k -> k.apiKind.equals(apiKind)).findFirst();
        }
    }

    private static final Comparator<ObjectKey> ORDER = Comparator.comparing(ObjectKey::kind)
            .thenComparing(ObjectKey::namespace, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(ObjectKey::name);

    public ObjectKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind.namespaced() != (namespace != null)) {
            throw new IllegalArgumentException(kind.apiKind() + " " + name + (kind.namespaced()
                    ? " needs a namespace" : " is cluster-scoped and has no namespace, not " + namespace));
        }
    }

    public static ObjectKey namespace(String name) {
        return new ObjectKey(Kind.NAMESPACE, null, name);
    }

    public static ObjectKey pod(String namespace, String name) {
        return new ObjectKey(Kind.POD, namespace, name);
    }

    public static ObjectKey node(String name) {
        return new ObjectKey(Kind.NODE, null, name);
    }

    public static ObjectKey networkPolicy(String namespace, String name) {
        return new ObjectKey(Kind.NETWORK_POLICY, namespace, name);
    }

    public static ObjectKey clusterNetworkPolicy(String name) {
        return new ObjectKey(Kind.CLUSTER_NETWORK_POLICY, null, name);
    }

    /** {@code namespace/name}, or the name alone for a cluster-scoped kind (as kubectl writes it). */
    public String namespacedName() {
        return namespace == null ? name : namespace + "/" + name;
    }

    @Override
    public int compareTo(ObjectKey o) {
        return ORDER.compare(this, o);
    }

    /** {@code Pod x/a}, {@code ClusterNetworkPolicy deny-all}: how messages name the object. */
    @Override
    public String toString() {
        return kind.apiKind() + " " + namespacedName();
    }
}
