package dev.weir.agent;

import dev.weir.graph.ClusterEvent;
import dev.weir.graph.GraphDelta;
import dev.weir.graph.IncrementalGraph;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.Diagnostic;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The agent's model of the cluster, owned by the sync worker (single-threaded): the {@link IncrementalGraph}, fed one
 * event per change (a pod event costs well under a millisecond; building the graph of 10k pods / 1k policies from
 * scratch costs ~0.3 s — see docs/benchmarks.md), and the policies currently rejected. The graph is the only
 * copy of the model records: it ignores an event that changes nothing, and a full resync finds what to delete by
 * comparing its keys with the informer caches. The immutable graph is snapshotted once per sync, and only after a
 * change.
 */
public final class ClusterState {

    private final IncrementalGraph incremental = new IncrementalGraph();
    private final SortedMap<ObjectKey, Rejection> rejections = new TreeMap<>();
    /**
     * The object version of each policy the graph holds, where its change carried one. Kept beside the graph, not in
     * the model records: a new generation whose translation equals the old one changes no rule, but the node then
     * enforces the new generation.
     */
    private final SortedMap<ObjectKey, PolicyVersion> versions = new TreeMap<>();
    private PolicyGraph graph;
    private SortedMap<ObjectKey, PolicyVersion> versionsSnapshot;
    private Consumer<GraphDelta> graphChanges = d -> { };

    /** Applies one change; returns false when it changed nothing (the same record again). */
    public boolean apply(Change change) {
        if (change instanceof Change.Event e) {
            // A policy's upsert or delete also ends its rejection, if it had one.
            boolean wasRejected = rejections.remove(change.key()) != null;
            boolean changed;
            try {
                changed = apply(e.event());
            } catch (RuntimeException ex) {
                return apply(uncompilable(e.event(), ex));
            }
            recordVersion(e);
            return changed || wasRejected;
        } else if (change instanceof Change.PolicyRejected r) {
            // A policy that turns invalid is left out whole, as the translator's contract says; the others stay.
            boolean removed = apply(r.asDelete());
            forgetVersion(change.key());
            return !r.rejection().equals(rejections.put(change.key(), r.rejection())) || removed;
        }
        throw new AssertionError(change);
    }

    private void recordVersion(Change.Event e) {
        if (!isPolicy(e.key())) {
            return;
        }
        if (e.event() instanceof ClusterEvent.Upserted && e.version() != null) {
            if (!e.version().equals(versions.put(e.key(), e.version()))) {
                versionsSnapshot = null;
            }
        } else {
            forgetVersion(e.key());
        }
    }

    private void forgetVersion(ObjectKey key) {
        if (versions.remove(key) != null) {
            versionsSnapshot = null;
        }
    }

    private static boolean isPolicy(ObjectKey key) {
        return key.kind() == ObjectKey.Kind.NETWORK_POLICY || key.kind() == ObjectKey.Kind.CLUSTER_NETWORK_POLICY;
    }

    /**
     * A policy whose compilation threw (a weir bug that its content reaches) is rejected like an invalid one, so that
     * it alone is left out and the sync goes on. The graph is as before: {@link IncrementalGraph#apply} compiles a
     * policy before it changes anything. Any other event's exception is a broken graph and goes on up.
     */
    private static Change uncompilable(ClusterEvent event, RuntimeException e) {
        if (!(event instanceof ClusterEvent.Upserted u)
                || !(u.object() instanceof NetworkPolicy || u.object() instanceof ClusterPolicy)) {
            throw e;
        }
        ClusterObject policy = u.object();
        ObjectKey ref = policy.key();
        // reported once per content: the same policy fails the same way until it changes
        return new Change.PolicyRejected(new Rejection(ref, null, "c" + Integer.toHexString(policy.hashCode()),
                List.of(new Diagnostic(ref, "", "could not be compiled (" + e + "); left out, everything else is "
                        + "enforced"))));
    }

    /** Tells {@code listener} what each later event changed in the graph (the agent's renderer patches sets from it). */
    public void onGraphChange(Consumer<GraphDelta> listener) {
        this.graphChanges = java.util.Objects.requireNonNull(listener, "listener");
    }

    private boolean apply(ClusterEvent event) {
        GraphDelta delta = incremental.apply(event);
        if (delta.isEmpty()) {
            return false;
        }
        graphChanges.accept(delta);
        graph = null;
        return true;
    }

    /**
     * Makes the state equal to {@code everything} (a full resync from the informer caches): applies each change and
     * deletes what it does not mention. Returns false when the state was already equal, so an idle resync costs no
     * graph work. An upsert of the record the graph already holds is skipped before it reaches the graph (which would
     * compile a policy before comparing, and keep the new equal copy of a pod beside the old one).
     */
    public boolean replaceAll(Collection<Change> everything) {
        Map<ObjectKey, ClusterObject> held = held(graph());
        Set<ObjectKey> seen = new HashSet<>();
        boolean changed = false;
        for (Change c : everything) {
            seen.add(c.key());
            boolean same = c instanceof Change.Event e && e.event() instanceof ClusterEvent.Upserted u
                    && u.object().equals(held.get(u.key()));
            if (same) {
                recordVersion((Change.Event) c); // the record is the same, its object version may be newer
            } else {
                changed |= apply(c);
            }
        }
        Set<ObjectKey> gone = new TreeSet<>(held.keySet());
        gone.addAll(rejections.keySet());
        gone.removeAll(seen);
        for (ObjectKey k : gone) {
            changed |= apply(new Change.Event(new ClusterEvent.Deleted(k)));
        }
        return changed;
    }

    /** Every record the graph holds, by key: pods as reported, with every address they claim. */
    private static Map<ObjectKey, ClusterObject> held(PolicyGraph g) {
        Map<ObjectKey, ClusterObject> out = new HashMap<>();
        Stream.of(g.namespaces().values().stream(), g.endpoints().keySet().stream().map(g::reportedEndpoint),
                g.nodes().values().stream(), g.policies().values().stream().map(p -> p.source()))
                .flatMap(s -> s).forEach(o -> out.put(o.key(), o));
        return out;
    }

    /** The graph of the current state; snapshotted once per change batch. */
    public PolicyGraph graph() {
        if (graph == null) {
            graph = incremental.graph();
        }
        return graph;
    }

    /**
     * The object version of each policy in the graph whose change carried one, by key: an immutable snapshot, the same
     * instance until a version changes.
     */
    public SortedMap<ObjectKey, PolicyVersion> policyVersions() {
        if (versionsSnapshot == null) {
            versionsSnapshot = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
        }
        return versionsSnapshot;
    }

    /** Rejected policies by key. */
    public Map<ObjectKey, Rejection> rejections() {
        return Collections.unmodifiableSortedMap(rejections);
    }
}
