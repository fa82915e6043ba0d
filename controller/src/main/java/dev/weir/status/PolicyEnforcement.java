package dev.weir.status;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One policy's enforcement across the nodes that should enforce it: per node a {@link NodeVerdict}. The count
 * {@link #enforced()} ({@code "2/3"}) has every expected node below the line, stale ones included, and only the
 * {@link NodeVerdict.Enforcing} ones above it.
 *
 * @param rejection the message of an agent that leaves this version out as invalid (the same on every node, so said
 *     once)
 */
public record PolicyEnforcement(PolicyObject policy, SortedMap<String, NodeVerdict> nodes,
        Optional<String> rejection) {

    public PolicyEnforcement {
        Objects.requireNonNull(policy, "policy");
        nodes = Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
        Objects.requireNonNull(rejection, "rejection");
    }

    public int enforcing() {
        return count(NodeVerdict.Enforcing.class).size();
    }

    /** How many nodes should enforce the policy. */
    public int expected() {
        return nodes.size();
    }

    /** {@code "enforcing/expected"}, e.g. {@code "2/2"}. */
    public String enforced() {
        return enforcing() + "/" + expected();
    }

    /** Whether every node that should enforce the current version does (also when none should). */
    public boolean complete() {
        return enforcing() == expected();
    }

    public SortedMap<String, NodeVerdict.Lagging> lagging() {
        return count(NodeVerdict.Lagging.class);
    }

    public SortedMap<String, NodeVerdict.Stale> stale() {
        return count(NodeVerdict.Stale.class);
    }

    private <T extends NodeVerdict> SortedMap<String, T> count(Class<T> type) {
        SortedMap<String, T> out = new TreeMap<>();
        nodes.forEach((n, v) -> {
            if (type.isInstance(v)) {
                out.put(n, type.cast(v));
            }
        });
        return out;
    }
}
