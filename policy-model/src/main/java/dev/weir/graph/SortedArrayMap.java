package dev.weir.graph;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.SortedMap;

/**
 * An immutable map by string key over two arrays, keys sorted and distinct, read by binary search: what a
 * {@link PolicyGraph} shows. 8 bytes an entry where a {@code TreeMap} spends 40, and a snapshot of a
 * {@link PatchedMap} shares that map's arrays instead of copying them (issue 14: at 150,000 pods the graph's copies of
 * its maps were ≈ 10 MiB a snapshot). The arrays are never written after construction.
 *
 * @param <V> the values, never null
 */
final class SortedArrayMap<V> extends AbstractMap<String, V> implements SortedMap<String, V> {

    private static final SortedArrayMap<?> EMPTY = new SortedArrayMap<>(new String[0], new Object[0], 0, 0);

    private final String[] keys;
    private final Object[] values;
    private final int from;
    private final int to;

    private SortedArrayMap(String[] keys, Object[] values, int from, int to) {
        this.keys = keys;
        this.values = values;
        this.from = from;
        this.to = to;
    }

    /** Trusts the caller: {@code keys} sorted and distinct, no value null, neither array written afterwards. */
    static <V> SortedArrayMap<V> trusted(String[] keys, Object[] values, int size) {
        return new SortedArrayMap<>(keys, values, 0, size);
    }

    @SuppressWarnings("unchecked")
    static <V> SortedArrayMap<V> empty() {
        return (SortedArrayMap<V>) EMPTY;
    }

    /** An immutable copy of {@code m} (itself when it is one). */
    @SuppressWarnings("unchecked")
    static <V> SortedArrayMap<V> copyOf(Map<String, ? extends V> m) {
        if (m instanceof SortedArrayMap<?> s) {
            return (SortedArrayMap<V>) s;
        }
        String[] k = m.keySet().toArray(new String[0]);
        Arrays.sort(k);
        Object[] v = new Object[k.length];
        for (int i = 0; i < k.length; i++) {
            v[i] = Objects.requireNonNull(m.get(k[i]), "value");
        }
        return new SortedArrayMap<>(k, v, 0, k.length);
    }

    /** The keys in order, as an immutable list sharing this map's array. */
    List<String> keyList() {
        return new KeyList(keys, from, to);
    }

    private int indexOf(Object key) {
        return key instanceof String s ? Arrays.binarySearch(keys, from, to, s) : -1;
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public boolean isEmpty() {
        return to == from;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i >= 0 ? (V) values[i] : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next = from;

                    @Override
                    public boolean hasNext() {
                        return next < to;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Entry<String, V> next() {
                        if (next >= to) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], (V) values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return to - from;
            }
        };
    }

    @Override
    public Comparator<? super String> comparator() {
        return null;
    }

    @Override
    public SortedMap<String, V> subMap(String fromKey, String toKey) {
        if (fromKey.compareTo(toKey) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        return range(bound(fromKey), bound(toKey));
    }

    @Override
    public SortedMap<String, V> headMap(String toKey) {
        return range(from, bound(toKey));
    }

    @Override
    public SortedMap<String, V> tailMap(String fromKey) {
        return range(bound(fromKey), to);
    }

    /** The index of the first key at or after {@code key} within this range. */
    private int bound(String key) {
        int i = Arrays.binarySearch(keys, from, to, Objects.requireNonNull(key));
        return i >= 0 ? i : -i - 1;
    }

    private SortedMap<String, V> range(int start, int end) {
        return new SortedArrayMap<>(keys, values, start, Math.max(start, end));
    }

    @Override
    public String firstKey() {
        if (isEmpty()) {
            throw new NoSuchElementException();
        }
        return keys[from];
    }

    @Override
    public String lastKey() {
        if (isEmpty()) {
            throw new NoSuchElementException();
        }
        return keys[to - 1];
    }

    /** Sorted, distinct, immutable keys over a shared array: what a group snapshot's members are. */
    static final class KeyList extends AbstractList<String> implements RandomAccess {
        private final String[] keys;
        private final int from;
        private final int to;

        KeyList(String[] keys, int from, int to) {
            this.keys = keys;
            this.from = from;
            this.to = to;
        }

        @Override
        public String get(int index) {
            Objects.checkIndex(index, to - from);
            return keys[from + index];
        }

        @Override
        public int size() {
            return to - from;
        }

        /** Whether {@code key} is one: O(log n). */
        boolean containsKey(String key) {
            return Arrays.binarySearch(keys, from, to, key) >= 0;
        }
    }
}
