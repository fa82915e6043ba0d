package dev.weir.graph;

import java.util.List;

/** Sorted, distinct key lists: the canonical form of every key list in the graph. */
final class SortedKeys {

    private SortedKeys() {
    }

    /** {@code keys} sorted and de-duplicated, as an immutable list; linear when already so (the common case). */
    static List<String> of(List<String> keys) {
        if (keys instanceof SortedArrayMap.KeyList) {
            // a live group's members, shared with it: sorted, distinct and immutable, so not compared again (a
            // snapshot of 100,000 members spent most of its time proving that order)
            return keys;
        }
        String previous = null;
        for (String k : keys) {
            if (previous != null && previous.compareTo(k) >= 0) {
                return keys.stream().distinct().sorted().toList();
            }
            previous = k;
        }
        return List.copyOf(keys);
    }
}
