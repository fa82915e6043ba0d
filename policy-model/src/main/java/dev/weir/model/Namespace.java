package dev.weir.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A namespace as policy sees it: its name and labels, and whether packets weir drops for its pods are logged
 * ({@code denialLogging}, from the {@code weir.dev/log-denials} annotation; it changes no verdict). The API server
 * sets the immutable label {@code kubernetes.io/metadata.name=<name>} on every namespace; the constructor adds it when
 * the source omitted it (test fixtures, a mock API server), so a namespaceSelector on it behaves as on a real cluster.
 */
public record Namespace(String name, Map<String, String> labels, DenialLogging denialLogging)
        implements ClusterObject {

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
        Objects.requireNonNull(denialLogging, "denialLogging");
    }

    /** A namespace without the annotation: its pods' denials are logged as the node's setting says. */
    public Namespace(String name, Map<String, String> labels) {
        this(name, labels, DenialLogging.DEFAULT);
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
