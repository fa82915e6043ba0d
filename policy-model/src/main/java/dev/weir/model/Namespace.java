package dev.weir.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A namespace as policy sees it: its name and labels (including {@code kubernetes.io/metadata.name}). */
public record Namespace(String name, Map<String, String> labels) {

    public Namespace {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
    }

    /** Labels in key order, for deterministic output. */
    public Map<String, String> sortedLabels() {
        return new TreeMap<>(labels);
    }
}
