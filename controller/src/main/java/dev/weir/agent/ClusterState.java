package dev.weir.agent;

import dev.weir.graph.ClusterEvent;
import dev.weir.graph.IncrementalGraph;
import dev.weir.graph.PolicyGraph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The agent's model of the cluster, owned by the sync worker (single-threaded): the {@link IncrementalGraph}, fed one
 * event per change (a pod event costs well under a millisecond; a full {@code PolicyCompiler.compile} of 10k pods /
 * 1k policies costs ~100 ms — see docs/benchmarks.md), and the policies currently rejected. The graph is the only
 * copy of the model records: it ignores an event that changes nothing, and a full resync finds what to delete by
 * comparing its keys with the informer caches. The immutable graph is snapshotted once per sync, and only after a
 * change.
 */
public final class ClusterState {

    private final IncrementalGraph incremental = new IncrementalGraph();
    private final SortedMap<String, Rejection> rejections = new TreeMap<>();
    private PolicyGraph graph;

    /** Applies one change; returns false when it changed nothing (the same record again). */
    public boolean apply(Change change) {
        if (change instanceof Change.Event e) {
            // A policy's upsert or delete also ends its rejection, if it had one.
            boolean wasRejected = rejections.remove(change.key()) != null;
            return apply(e.event()) || wasRejected;
        } else if (change instanceof Change.PolicyRejected r) {
            // A policy that turns invalid is left out whole, as the translator's contract says; the others stay.
            boolean removed = apply(r.asDelete());
            return !r.rejection().equals(rejections.put(change.key(), r.rejection())) || removed;
        }
        throw new AssertionError(change);
    }

    private boolean apply(ClusterEvent event) {
        if (incremental.apply(event).isEmpty()) {
            return false;
        }
        graph = null;
        return true;
    }

    /**
     * Makes the state equal to {@code everything} (a full resync from the informer caches): applies each change and
     * deletes what it does not mention. Returns false when the state was already equal, so an idle resync costs no
     * graph work.
     */
    public boolean replaceAll(Collection<Change> everything) {
        Set<String> seen = new HashSet<>();
        boolean changed = false;
        for (Change c : everything) {
            seen.add(c.key());
            changed |= apply(c);
        }
        List<Change> deletes = new ArrayList<>();
        for (ClusterEvent held : held(graph())) {
            if (!seen.contains(Change.key(held))) {
                deletes.add(new Change.Event(held));
            }
        }
        rejections.forEach((k, r) -> {
            if (!seen.contains(k)) {
                deletes.add(new Change.Event(new Change.PolicyRejected(r).asDelete()));
            }
        });
        for (Change d : deletes) {
            changed |= apply(d);
        }
        return changed;
    }

    /** The deletes of every object the graph holds. */
    private static List<ClusterEvent> held(PolicyGraph g) {
        List<ClusterEvent> out = new ArrayList<>();
        g.namespaces().keySet().forEach(name -> out.add(new ClusterEvent.NamespaceDeleted(name)));
        g.endpoints().values().forEach(e -> out.add(new ClusterEvent.PodDeleted(e.namespace(), e.name())));
        g.nodes().keySet().forEach(name -> out.add(new ClusterEvent.NodeDeleted(name)));
        g.policies().values().forEach(p -> out.add(
                new ClusterEvent.PolicyDeleted(p.source().namespace(), p.source().name())));
        g.clusterPolicies().keySet().forEach(name -> out.add(new ClusterEvent.ClusterPolicyDeleted(name)));
        return out;
    }

    /** The graph of the current state; snapshotted once per change batch. */
    public PolicyGraph graph() {
        if (graph == null) {
            graph = incremental.graph();
        }
        return graph;
    }

    /** Rejected policies by change key. */
    public Map<String, Rejection> rejections() {
        return Collections.unmodifiableSortedMap(rejections);
    }
}
