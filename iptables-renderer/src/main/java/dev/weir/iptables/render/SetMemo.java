package dev.weir.iptables.render;

import dev.weir.graph.GraphDelta;
import dev.weir.graph.PeerGroup;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.Endpoint;
import dev.weir.model.IpFamily;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peer sets of the last render, for the next one to reuse while their inputs are the very same objects: a pod
 * group's set is built from its {@code PeerGroup} snapshot, a node group's from its {@code NodeGroup}, and an
 * {@code IncrementalGraph} hands out a new snapshot instance whenever a group's members or their addresses or ports
 * change, and the same instance otherwise. Building a set is most of a render at scale (a set of 100,000 pods: look up
 * each member, format its address, sort; about 0.1 s of CPU on a loaded 2-core machine, where the chains of one node
 * take milliseconds), so a render after one pod event rebuilds only the sets that pod is in.
 *
 * <p>A pod group set whose snapshot did change is <b>patched</b> instead of rebuilt when the memo was told which
 * members of the group the events since the last render touched ({@link #changed}, each event's {@link GraphDelta}):
 * the addresses those members had in the last render's graph leave, the ones they have now join, every other member
 * string is carried over. Cost: a lookup per touched member and one copy of the member array. Without that account
 * (a caller that does not pass deltas, a group the deltas do not name, more than a quarter of the group touched) the
 * set is built afresh.
 *
 * <p>Keyed by identity, never by equality: an equal group read from another graph says nothing about the addresses its
 * members have there. Holds only the sets the last render used (each also held by that render's {@link Ruleset}), and
 * that render's graph, so it costs no memory of its own beyond the touched keys. Not thread-safe: one sync thread
 * renders.
 */
public final class SetMemo {

    /** Past this share of a group's members touched, a fresh build is as cheap as a patch. */
    private static final int PATCH_MAX_SHARE = 4;

    private final boolean remembers;
    private Map<String, Entry> last = new HashMap<>();
    private Map<String, Entry> current = new HashMap<>();
    /** The graph the last completed render read. */
    private PolicyGraph lastGraph;
    /** The graph the render under way reads. */
    private PolicyGraph graph;
    /** Group id → member keys whose membership or addresses changed since {@link #lastGraph}. */
    private final Map<String, Set<String>> touched = new HashMap<>();

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

    /**
     * What one event changed in the graph the next render reads: the members each group gained, lost or saw
     * readdressed. Pass every event's delta (or none at all) between renders, or a patch would miss a change.
     */
    public void changed(GraphDelta delta) {
        if (!remembers) {
            return;
        }
        delta.membership().forEach((groupId, change) -> {
            Set<String> keys = touched.computeIfAbsent(groupId, k -> new HashSet<>());
            keys.addAll(change.added());
            keys.addAll(change.removed());
            keys.addAll(change.readdressed());
        });
    }

    /** A render of {@code graph} starts: what an unfinished one put is dropped. */
    void renderStarting(PolicyGraph graph) {
        current = new HashMap<>();
        this.graph = graph;
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
        lastGraph = graph;
        graph = null;
        touched.clear();
    }

    /**
     * The {@code family} set named {@code name} of {@code group}, patched from the one the last render built from an
     * older snapshot of the same group, or null when it cannot be (then build it and {@link #put} it).
     */
    IpSetSpec patchGroup(String name, IpFamily family, PeerGroup group) {
        if (!remembers || lastGraph == null) {
            return null;
        }
        Entry e = last.get(name);
        Set<String> keys = touched.get(group.id());
        if (e == null || keys == null || !(e.input() instanceof PeerGroup before)
                || keys.size() > Math.max(16, e.spec().members().size() / PATCH_MAX_SHARE)) {
            return null;
        }
        Set<String> leaving = new HashSet<>();
        Set<String> joining = new HashSet<>();
        for (String key : keys) {
            if (before.contains(key)) {
                address(lastGraph, key, family).ifPresent(leaving::add);
            }
            if (group.contains(key)) {
                address(graph, key, family).ifPresent(joining::add);
            }
        }
        Set<String> both = new HashSet<>(leaving);
        both.retainAll(joining);
        leaving.removeAll(both);
        joining.removeAll(both);
        List<String> old = e.spec().members();
        String[] added = joining.toArray(new String[0]);
        java.util.Arrays.sort(added);
        String[] out = new String[old.size() - leaving.size() + added.length];
        int n = 0;
        int a = 0;
        for (String m : old) {
            if (leaving.contains(m)) {
                continue;
            }
            while (a < added.length && added[a].compareTo(m) < 0) {
                out[n++] = added[a++];
            }
            if (a < added.length && added[a].equals(m)) {
                a++; // already a member (another member's address): kept once
            }
            out[n++] = m;
        }
        while (a < added.length) {
            out[n++] = added[a++];
        }
        IpSetSpec spec = new IpSetSpec(name, e.spec().type(), family,
                SortedMembers.trusted(n == out.length ? out : java.util.Arrays.copyOf(out, n)));
        put(name, group, spec);
        return spec;
    }

    private static java.util.Optional<String> address(PolicyGraph g, String key, IpFamily family) {
        Endpoint ep = g.endpoint(key);
        return ep == null ? java.util.Optional.empty() : ep.ip(family).map(Object::toString);
    }

    /** How many sets the next render may reuse. */
    public int size() {
        return last.size();
    }
}
