package dev.weir.agent.local;

import dev.weir.iptables.render.PodInterface;
import dev.weir.model.ObjectKey;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What discovery concluded for each local pod: the host-side interface of those it is sure of ({@code bound}), and for
 * every other one why not ({@code unknown}: no route and no cache entry, or conflicting claims). A pod is in exactly
 * one of the two maps.
 */
public record InterfaceBindings(SortedMap<ObjectKey, PodInterface> bound, SortedMap<ObjectKey, String> unknown) {

    public InterfaceBindings(Map<ObjectKey, PodInterface> bound, Map<ObjectKey, String> unknown) {
        this(new TreeMap<>(bound), new TreeMap<>(unknown));
    }

    public InterfaceBindings {
        bound = Collections.unmodifiableSortedMap(new TreeMap<>(bound));
        unknown = Collections.unmodifiableSortedMap(new TreeMap<>(unknown));
        for (ObjectKey k : bound.keySet()) {
            if (unknown.containsKey(k)) {
                throw new IllegalArgumentException(k + " is both bound and unknown");
            }
        }
    }
}
