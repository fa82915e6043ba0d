package dev.weir.graph;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A mutable map by string key kept as sorted arrays plus a small sorted patch of the changes since they were last
 * merged: the compact form of the graph's big maps (every pod, three times; every group's members). An entry costs 8
 * bytes in the arrays where a {@code TreeMap} spends 40; a change costs a lookup in the patch, and the patch is merged
 * into fresh arrays once it outgrows an eighth of them, so a change costs O(1) array slots amortized and a bulk of
 * changes stays linear. {@link #snapshot()} merges and shares the arrays with an immutable {@link SortedArrayMap}:
 * the arrays are never written once filled, so snapshots stay valid while this map changes. Single-threaded, like
 * its owner.
 *
 * @param <V> the values, never null
 */
final class PatchedMap<V> {

    private static final String[] NO_KEYS = new String[0];
    private static final Object[] NO_VALUES = new Object[0];
    /** A patch value: the key was removed from the arrays. */
    private static final Object REMOVED = new Object();

    private String[] keys = NO_KEYS;
    private Object[] values = NO_VALUES;
    /** Changes not yet merged into the arrays; null when there are none. */
    private TreeMap<String, Object> patch;
    private int size;
    private SortedArrayMap<V> snapshot = SortedArrayMap.empty();

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    V get(String key) {
        if (patch != null) {
            Object p = patch.get(key);
            if (p != null) {
                return p == REMOVED ? null : (V) p;
            }
        }
        int i = java.util.Arrays.binarySearch(keys, key);
        return i >= 0 ? (V) values[i] : null;
    }

    V getOrDefault(String key, V absent) {
        V v = get(key);
        return v != null ? v : absent;
    }

    boolean containsKey(String key) {
        return get(key) != null;
    }

    /**
     * The key instance this map holds for {@code key} (the one first put), so that every index can share one string
     * per key; null when absent.
     */
    String heldKey(String key) {
        if (patch != null) {
            Map.Entry<String, Object> e = patch.ceilingEntry(key);
            if (e != null && e.getKey().equals(key)) {
                return e.getValue() == REMOVED ? null : e.getKey();
            }
        }
        int i = java.util.Arrays.binarySearch(keys, key);
        return i >= 0 ? keys[i] : null;
    }

    /** Puts a value; returns the one it replaced, null when there was none. */
    V put(String key, V value) {
        Objects.requireNonNull(value, "value");
        V before = get(key);
        if (before == value) {
            return before;
        }
        int i = java.util.Arrays.binarySearch(keys, key);
        String held = i >= 0 ? keys[i] : key;
        patch().put(held, value);
        if (before == null) {
            size++;
        }
        changed();
        return before;
    }

    /** Removes a key; returns its value, null when there was none. */
    V remove(String key) {
        V before = get(key);
        if (before == null) {
            return null;
        }
        int i = java.util.Arrays.binarySearch(keys, key);
        if (i >= 0) {
            patch().put(keys[i], REMOVED);
        } else {
            patch.remove(key);
        }
        size--;
        changed();
        return before;
    }

    /** The current content as an immutable map sharing this map's arrays: O(1) unless changes wait to be merged. */
    SortedArrayMap<V> snapshot() {
        if (snapshot == null) {
            merge();
            snapshot = SortedArrayMap.trusted(keys, values, keys.length);
        }
        return snapshot;
    }

    /** The values in key order (of the current {@link #snapshot()}). */
    Collection<V> values() {
        return snapshot().values();
    }

    private TreeMap<String, Object> patch() {
        if (patch == null) {
            patch = new TreeMap<>();
        }
        return patch;
    }

    private void changed() {
        snapshot = null;
        // small maps merge at every third change; large ones once an eighth of their entries changed
        if (patch != null && patch.size() > 2 + (keys.length >> 3)) {
            merge();
        }
    }

    /** Writes the arrays anew with the patch applied (never in place: snapshots may share the old ones). */
    private void merge() {
        if (patch == null) {
            return;
        }
        String[] k = size == 0 ? NO_KEYS : new String[size];
        Object[] v = size == 0 ? NO_VALUES : new Object[size];
        int n = 0;
        int i = 0;
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            // the run of unchanged keys before this one moves as one block: O(changes × log n) compares, not O(n)
            String key = e.getKey();
            int at = java.util.Arrays.binarySearch(keys, i, keys.length, key);
            int before = at >= 0 ? at : -at - 1;
            System.arraycopy(keys, i, k, n, before - i);
            System.arraycopy(values, i, v, n, before - i);
            n += before - i;
            i = at >= 0 ? at + 1 : before; // a replaced or removed key is not copied
            if (e.getValue() != REMOVED) {
                k[n] = key;
                v[n++] = e.getValue();
            }
        }
        int rest = keys.length - i;
        System.arraycopy(keys, i, k, n, rest);
        System.arraycopy(values, i, v, n, rest);
        if (n + rest != size) {
            throw new IllegalStateException("patched map lost count: " + (n + rest) + " entries, size " + size);
        }
        keys = k;
        values = v;
        patch = null;
    }
}
