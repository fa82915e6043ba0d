package dev.weir.graph;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.SortedSet;

/** Sorted, distinct key lists: the canonical form of every key list in the graph. */
final class SortedKeys {

    private SortedKeys() {
    }

    /** {@code keys} sorted and de-duplicated, as an immutable list; linear when already so (the common case). */
    static List<String> of(List<String> keys) {
        if (keys instanceof Sorted) {
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

    /**
     * The keys of a set kept in natural order, as an immutable list that {@link #of} takes without comparing them
     * again: a live group's snapshot of 100,000 members spent most of its time proving an order its set guarantees.
     */
    static List<String> of(SortedSet<String> naturallyOrdered) {
        if (naturallyOrdered.comparator() != null) {
            return of(List.copyOf(naturallyOrdered));
        }
        return new Sorted(naturallyOrdered.toArray(String[]::new));
    }

    /** An immutable list of strings known to be sorted and distinct. */
    private static final class Sorted extends AbstractList<String> implements RandomAccess {
        private final String[] keys;

        Sorted(String[] keys) {
            this.keys = keys;
        }

        @Override
        public String get(int index) {
            return keys[index];
        }

        @Override
        public int size() {
            return keys.length;
        }
    }
}
