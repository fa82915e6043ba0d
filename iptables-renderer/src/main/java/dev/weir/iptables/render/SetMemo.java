package dev.weir.iptables.render;

import java.util.HashMap;
import java.util.Map;

/**
 * The peer sets of the last render, for the next one to reuse while their inputs are the very same objects: a pod
 * group's set is built from its {@code PeerGroup} snapshot, a node group's from its {@code NodeGroup}, and an
 * {@code IncrementalGraph} hands out a new snapshot instance whenever a group's members or their addresses or ports
 * change, and the same instance otherwise. Building a set is most of a render at scale (a set of 100,000 pods: look up
 * each member, format its address, sort; about 0.1-0.3 s on a loaded 2-core machine, where the chains of one node take
 * milliseconds), so a render after one pod event rebuilds only the sets that pod is in.
 *
 * <p>Keyed by identity, never by equality: an equal group read from another graph says nothing about the addresses its
 * members have there. Holds only the sets the last render used (each also held by that render's {@link Ruleset}), so
 * it costs no memory of its own. Not thread-safe: one sync thread renders.
 */
public final class SetMemo {

    private final boolean remembers;
    private Map<String, Entry> last = new HashMap<>();
    private Map<String, Entry> current = new HashMap<>();

    private record Entry(Object input, IpSetSpec spec) {
    }

    /** An empty memo, to be handed to every render of one node, one render at a time. */
    public SetMemo() {
        this(true);
    }

    private SetMemo(boolean remembers) {
        this.remembers = remembers;
    }

    /** A memo that remembers nothing: every render builds every set (the CLI, tests, one-off renders). */
    public static SetMemo none() {
        return new SetMemo(false);
    }

    /** A render starts: what an unfinished one put is dropped. */
    void renderStarting() {
        current = new HashMap<>();
    }

    /** The set named {@code name} that an earlier render built from this very {@code input}, or null. */
    IpSetSpec get(String name, Object input) {
        if (!remembers) {
            return null;
        }
        Entry e = last.get(name);
        if (e == null || e.input() != input) {
            return null;
        }
        current.put(name, e);
        return e.spec();
    }

    void put(String name, Object input, IpSetSpec spec) {
        if (remembers) {
            current.put(name, new Entry(input, spec));
        }
    }

    /** A render finished: what it used is what the next one may reuse. */
    void renderDone() {
        if (!remembers) {
            return;
        }
        last = current;
        current = new HashMap<>();
    }

    /** How many sets the next render may reuse. */
    public int size() {
        return last.size();
    }
}
