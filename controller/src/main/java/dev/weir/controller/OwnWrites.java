package dev.weir.controller;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the controller last wrote to each object, to tell a cache that has not caught up with its own writes from one
 * that shows someone else's change. An informer brings the controller's writes back in order, later; until the
 * version the last write produced arrives, the cache holds one of the versions its recent writes were made over or
 * produced, and writing the same value again would only repeat it (a real API server would answer 409 to the stale
 * resourceVersion; fabric8's mock takes it). Per key, the versions of the last {@value #REMEMBERED} writes.
 *
 * @param <V> what is written (the conditions, the annotation's value)
 */
final class OwnWrites<V> {

    static final int REMEMBERED = 8;

    private final Map<String, Entry<V>> entries = new HashMap<>();

    private static final class Entry<V> {
        V value;
        String latest;
        final Deque<String> behind = new ArrayDeque<>();
    }

    /** Whether {@code cachedVersion} is older than this controller's last write of {@code value} to {@code key}. */
    boolean behind(String key, String cachedVersion, V value) {
        Entry<V> e = entries.get(key);
        return e != null && Objects.equals(e.value, value) && e.behind.contains(cachedVersion);
    }

    /** {@code value} was written over {@code baseVersion}, producing {@code producedVersion} (null if unknown). */
    void wrote(String key, String baseVersion, String producedVersion, V value) {
        Entry<V> e = entries.computeIfAbsent(key, k -> new Entry<>());
        if (e.latest != null) {
            e.behind.addLast(e.latest);
        }
        e.behind.addLast(baseVersion);
        while (e.behind.size() > 2 * REMEMBERED) {
            e.behind.removeFirst();
        }
        e.value = value;
        e.latest = producedVersion;
    }

    void forget(String key) {
        entries.remove(key);
    }

    void reset() {
        entries.clear();
    }
}
