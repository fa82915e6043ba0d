package dev.weir.graph;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The reference-counted live groups of one kind, by id, reporting every membership change to a sink as it happens.
 * The indexes of pod and node groups ({@link GroupIndex}, {@link NodeGroupIndex}) keep theirs here and decide only
 * which groups a change may touch. Single-threaded, owned by its index.
 *
 * @param <S> the selector
 * @param <V> the snapshot
 */
final class LiveGroups<S, V> {

    /** Receives every membership change as it happens. */
    interface Sink {
        void added(LiveGroup<?, ?> group, String member);

        void removed(LiveGroup<?, ?> group, String member);

        void readdressed(LiveGroup<?, ?> group, String member);
    }

    private final String kind;
    private final BiFunction<S, List<String>, V> snapshotOf;
    private final Sink sink;
    private final Map<String, LiveGroup<S, V>> byId = new HashMap<>();

    /** {@code kind} names the groups in the message of a broken contract. */
    LiveGroups(String kind, BiFunction<S, List<String>, V> snapshotOf, Sink sink) {
        this.kind = kind;
        this.snapshotOf = snapshotOf;
        this.sink = sink;
    }

    LiveGroup<S, V> get(String id) {
        return byId.get(id);
    }

    Collection<LiveGroup<S, V>> all() {
        return byId.values();
    }

    /** Takes a reference on the group; returns it, still empty, when this created it, and null when it was live. */
    LiveGroup<S, V> acquire(String id, S selector) {
        LiveGroup<S, V> g = byId.get(id);
        if (g != null) {
            g.references++;
            return null;
        }
        g = new LiveGroup<>(id, selector, snapshotOf);
        byId.put(id, g);
        return g;
    }

    /**
     * Drops a reference; the last one removes the group, reporting every member removed, and returns it (null while
     * references remain).
     */
    LiveGroup<S, V> release(String id) {
        LiveGroup<S, V> g = Objects.requireNonNull(byId.get(id), () -> "no live " + kind + " " + id);
        if (--g.references > 0) {
            return null;
        }
        byId.remove(id);
        for (String member : g.members()) {
            sink.removed(g, member);
        }
        return g;
    }

    void add(LiveGroup<S, V> g, String member) {
        if (g.add(member)) {
            sink.added(g, member);
        }
    }

    void remove(LiveGroup<S, V> g, String member) {
        if (g.remove(member)) {
            sink.removed(g, member);
        }
    }

    /**
     * A member candidate changed: {@code was}/{@code is} say whether the group selected it before and after; a member
     * that stays one is reported readdressed when its addresses changed.
     */
    void changed(LiveGroup<S, V> g, String member, boolean was, boolean is, boolean readdressed) {
        if (was && !is) {
            remove(g, member);
        } else if (!was && is) {
            add(g, member);
        } else if (was && readdressed) {
            g.readdressed();
            sink.readdressed(g, member);
        }
    }
}
