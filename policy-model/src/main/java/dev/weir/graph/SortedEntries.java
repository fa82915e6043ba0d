package dev.weir.graph;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds a {@link TreeMap} from values already sorted by key in linear time: {@code TreeMap.putAll} of an empty map
 * from a {@link SortedMap} builds the tree directly instead of inserting one entry at a time. This read-only view is
 * only ever handed to that constructor. Equal adjacent keys collapse to the last value, as repeated puts would.
 */
final class SortedEntries<K extends Comparable<K>, V> extends AbstractMap<K, V> implements SortedMap<K, V> {

    private final List<K> keys;
    private final List<V> values;

    private SortedEntries(List<K> keys, List<V> values) {
        this.keys = keys;
        this.values = values;
    }

    /** A TreeMap of {@code sorted}, keyed by {@code key}; {@code sorted} must be in ascending key order. */
    static <K extends Comparable<K>, V> TreeMap<K, V> treeMap(List<V> sorted, Function<V, K> key) {
        List<K> ks = new java.util.ArrayList<>(sorted.size());
        List<V> vs = new java.util.ArrayList<>(sorted.size());
        for (V v : sorted) {
            K k = key.apply(v);
            int last = ks.size() - 1;
            if (last >= 0) {
                int c = ks.get(last).compareTo(k);
                if (c > 0) {
                    throw new IllegalArgumentException("not in ascending key order: " + ks.get(last) + " > " + k);
                }
                if (c == 0) {
                    vs.set(last, v);
                    continue;
                }
            }
            ks.add(k);
            vs.add(v);
        }
        return new TreeMap<>(new SortedEntries<>(ks, vs));
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.size();
                    }

                    @Override
                    public Entry<K, V> next() {
                        if (i >= keys.size()) {
                            throw new NoSuchElementException();
                        }
                        Entry<K, V> e = Map.entry(keys.get(i), values.get(i));
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return keys.size();
            }
        };
    }

    @Override
    public int size() {
        return keys.size();
    }

    @Override
    public Comparator<? super K> comparator() {
        return null; // natural order, like the TreeMap built from it
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public K firstKey() {
        return keys.get(0);
    }

    @Override
    public K lastKey() {
        return keys.get(keys.size() - 1);
    }
}
