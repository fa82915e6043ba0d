package dev.weir.model;

import java.util.Objects;

/** Names a Kubernetes object in messages: kind, namespace (null for cluster-scoped) and name. */
public record ObjectRef(String kind, String namespace, String name) implements Comparable<ObjectRef> {

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static ObjectRef networkPolicy(String namespace, String name) {
        return new ObjectRef("NetworkPolicy", namespace, name);
    }

    public static ObjectRef pod(String namespace, String name) {
        return new ObjectRef("Pod", namespace, name);
    }

    @Override
    public int compareTo(ObjectRef o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? name : namespace + "/" + name);
    }
}
