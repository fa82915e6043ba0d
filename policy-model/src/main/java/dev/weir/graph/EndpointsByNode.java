package dev.weir.graph;

import dev.weir.model.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods of each node as policy sees them, in endpoint key order ({@code ns/name}), kept by {@link IncrementalGraph}
 * one change at a time. Each node's list is immutable and replaced when one of its pods changes, so a graph snapshot
 * shares the lists of every node whose pods did not change: a sync no longer indexes every pod of the cluster to find
 * the ones of its node. Single-threaded, owned by its graph.
 */
final class EndpointsByNode {

    private static final Comparator<Endpoint> KEY_ORDER = Comparator.comparing(EndpointsByNode::key);

    private final Map<String, List<Endpoint>> byNode = new HashMap<>();

    /** A pod as policy sees it changed from {@code before} to {@code now} (either null when absent). */
    void changed(Endpoint before, Endpoint now) {
        if (before != null && before.node() != null) {
            update(before.node(), before, false);
        }
        if (now != null && now.node() != null) {
            update(now.node(), now, true);
        }
    }

    private void update(String node, Endpoint e, boolean present) {
        List<Endpoint> old = byNode.getOrDefault(node, List.of());
        int at = Collections.binarySearch(old, e, KEY_ORDER);
        List<Endpoint> next = new ArrayList<>(old.size() + 1);
        next.addAll(old);
        if (at >= 0) {
            if (present) {
                next.set(at, e);
            } else {
                next.remove(at);
            }
        } else if (present) {
            next.add(-at - 1, e);
        } else {
            return; // was not listed: nothing to remove
        }
        if (next.isEmpty()) {
            byNode.remove(node);
        } else {
            byNode.put(node, List.copyOf(next));
        }
    }

    /** Every node's pods, immutable: O(nodes), the lists shared with the live index until their node changes. */
    Map<String, List<Endpoint>> snapshot() {
        return Map.copyOf(byNode);
    }

    private static String key(Endpoint e) {
        return e.namespace() + "/" + e.name();
    }
}
