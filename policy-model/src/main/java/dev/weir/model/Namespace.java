package dev.weir.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A namespace as policy sees it: its name and labels. The API server sets the immutable label
 * {@code kubernetes.io/metadata.name=<name>} on every namespace; the constructor adds it when the source omitted it
 * (test fixtures, a mock API server), so a namespaceSelector on it behaves as on a real cluster.
 */
public record Namespace(String name, Map<String, String> labels) implements ClusterObject {

    /** The label the API server puts on every namespace, with the namespace's name as value. */
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public Namespace {
        Objects.requireNonNull(name, "name");
        if (!labels.containsKey(NAME_LABEL)) {
            Map<String, String> withName = new HashMap<>(labels);
            withName.put(NAME_LABEL, name);
            labels = withName;
        }
        labels = Map.copyOf(labels);
    }

    @Override
    public ObjectKey key() {
        return ObjectKey.namespace(name);
    }

    /** Labels in key order, for deterministic output. */
    public Map<String, String> sortedLabels() {
        return new TreeMap<>(labels);
    }
}
