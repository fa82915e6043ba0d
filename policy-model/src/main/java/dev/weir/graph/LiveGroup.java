package dev.weir.graph;

import java.util.List;
import java.util.function.BiFunction;

/**
 * A live group of an {@link IncrementalGraph}: its selector, its current members in order, the references policies hold
 * on it, and the immutable snapshot a graph shows, rebuilt only after the members changed or one of them was
 * readdressed. So a snapshot instance that two graphs share stands for the same members at the same addresses and
 * ports, which lets a renderer reuse what it built from it ({@code SetMemo} in the iptables renderer). Pod groups and node groups
 * differ in what selects and in how a change finds the groups it may touch, not in this.
 *
 * @param <S> the selector
 * @param <V> the snapshot
 */
final class LiveGroup<S, V> {
    final String id;
    final S selector;
    /** Members as keys of a {@link PatchedMap}: a snapshot shares its array (a tree set cost 40 bytes a member). */
    private final PatchedMap<Boolean> members = new PatchedMap<>();
    int references = 1;
    private final BiFunction<S, List<String>, V> snapshotOf;
    private V snapshot; // null when members changed since the last snapshot

    LiveGroup(String id, S selector, BiFunction<S, List<String>, V> snapshotOf) {
        this.id = id;
        this.selector = selector;
        this.snapshotOf = snapshotOf;
    }

    /** Adds a member; true when it was not one. */
    boolean add(String member) {
        boolean added = members.put(member, Boolean.TRUE) == null;
        if (added) {
            snapshot = null;
        }
        return added;
    }

    /** Removes a member; true when it was one. */
    boolean remove(String member) {
        boolean removed = members.remove(member) != null;
        if (removed) {
            snapshot = null;
        }
        return removed;
    }

    boolean contains(String member) {
        return members.containsKey(member);
    }

    /** The members in order, immutable (the array the next snapshot shares). */
    List<String> members() {
        return members.snapshot().keyList();
    }

    /** A member stayed but its addresses or ports changed: the next snapshot is a new instance. */
    void readdressed() {
        snapshot = null;
    }

    V snapshot() {
        if (snapshot == null) {
            snapshot = snapshotOf.apply(selector, members());
        }
        return snapshot;
    }
}
