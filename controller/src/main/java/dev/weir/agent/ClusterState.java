package dev.weir.agent;

import dev.weir.graph.ClusterEvent;
import dev.weir.graph.IncrementalGraph;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.admin.ClusterPolicy;
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
 * The agent's view of the cluster, owned by the sync worker (single-threaded): the latest translated record of every
 * object, the policies currently rejected, and an {@link IncrementalGraph} fed one event per real change (a pod event
 * costs well under a millisecond; a full {@code PolicyCompiler.compile} of 10k pods / 1k policies costs ~100 ms — see
 * docs/benchmarks.md). The immutable graph is snapshotted once per sync, and only after a change.
 */
public final class ClusterState {

    private final SortedMap<String, Namespace> namespaces = new TreeMap<>();
    private final SortedMap<String, Endpoint> endpoints = new TreeMap<>();
    private final SortedMap<String, NetworkPolicy> policies = new TreeMap<>();
    private final SortedMap<String, ClusterPolicy> clusterPolicies = new TreeMap<>();
    private final SortedMap<String, Node> nodes = new TreeMap<>();
    private final SortedMap<String, Rejection> rejections = new TreeMap<>();
    private final IncrementalGraph incremental = new IncrementalGraph();
    private PolicyGraph graph;

    /** Applies one change; returns false when it changed nothing (the same record again). */
    public boolean apply(Change change) {
        if (change instanceof Change.Event e) {
            return apply(change.key(), e.event());
        } else if (change instanceof Change.PolicyRejected r) {
            // A policy that turns invalid is left out whole, as the translator's contract says; the others stay.
            String key = change.key();
            boolean removed = changed(policies.remove(key) != null || clusterPolicies.remove(key) != null,
                    r.asDelete());
            return !r.rejection().equals(rejections.put(key, r.rejection())) || removed;
        }
        throw new AssertionError(change);
    }

    /** {@code key} is {@link Change#key(ClusterEvent)} of {@code event}: the maps are keyed like the pending changes. */
    private boolean apply(String key, ClusterEvent event) {
        if (event instanceof ClusterEvent.NamespaceUpserted u) {
            return changed(!u.namespace().equals(namespaces.put(key, u.namespace())), event);
        } else if (event instanceof ClusterEvent.NamespaceDeleted) {
            return changed(namespaces.remove(key) != null, event);
        } else if (event instanceof ClusterEvent.PodUpserted u) {
            return changed(!u.endpoint().equals(endpoints.put(key, u.endpoint())), event);
        } else if (event instanceof ClusterEvent.PodDeleted) {
            return changed(endpoints.remove(key) != null, event);
        } else if (event instanceof ClusterEvent.NodeUpserted u) {
            return changed(!u.node().equals(nodes.put(key, u.node())), event);
        } else if (event instanceof ClusterEvent.NodeDeleted) {
            return changed(nodes.remove(key) != null, event);
        }
        // A policy's upsert or delete also ends its rejection, if it had one.
        boolean wasRejected = rejections.remove(key) != null;
        if (event instanceof ClusterEvent.PolicyUpserted u) {
            return changed(!u.policy().equals(policies.put(key, u.policy())), event) || wasRejected;
        } else if (event instanceof ClusterEvent.PolicyDeleted) {
            return changed(policies.remove(key) != null, event) || wasRejected;
        } else if (event instanceof ClusterEvent.ClusterPolicyUpserted u) {
            return changed(!u.policy().equals(clusterPolicies.put(key, u.policy())), event) || wasRejected;
        } else if (event instanceof ClusterEvent.ClusterPolicyDeleted) {
            return changed(clusterPolicies.remove(key) != null, event) || wasRejected;
        }
        throw new AssertionError(event);
    }

    private boolean changed(boolean changed, ClusterEvent event) {
        if (changed) {
            incremental.apply(event);
            graph = null;
        }
        return changed;
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
        List<ClusterEvent> deletes = new ArrayList<>();
        namespaces.forEach((k, ns) -> {
            if (!seen.contains(k)) {
                deletes.add(new ClusterEvent.NamespaceDeleted(ns.name()));
            }
        });
        endpoints.forEach((k, e) -> {
            if (!seen.contains(k)) {
                deletes.add(new ClusterEvent.PodDeleted(e.namespace(), e.name()));
            }
        });
        nodes.forEach((k, n) -> {
            if (!seen.contains(k)) {
                deletes.add(new ClusterEvent.NodeDeleted(n.name()));
            }
        });
        policies.forEach((k, p) -> {
            if (!seen.contains(k)) {
                deletes.add(new ClusterEvent.PolicyDeleted(p.namespace(), p.name()));
            }
        });
        clusterPolicies.forEach((k, p) -> {
            if (!seen.contains(k)) {
                deletes.add(new ClusterEvent.ClusterPolicyDeleted(p.name()));
            }
        });
        rejections.forEach((k, r) -> {
            if (!seen.contains(k)) {
                deletes.add(new Change.PolicyRejected(r).asDelete());
            }
        });
        for (ClusterEvent d : deletes) {
            changed |= apply(Change.key(d), d);
        }
        return changed;
    }

    /** The graph of the current state; snapshotted once per change batch. */
    public PolicyGraph graph() {
        if (graph == null) {
            graph = incremental.graph();
        }
        return graph;
    }

    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(new ArrayList<>(namespaces.values()), new ArrayList<>(endpoints.values()),
                new ArrayList<>(policies.values()), new ArrayList<>(clusterPolicies.values()),
                new ArrayList<>(nodes.values()));
    }

    /** Rejected policies by change key. */
    public Map<String, Rejection> rejections() {
        return Collections.unmodifiableSortedMap(rejections);
    }

    public int namespaceCount() {
        return namespaces.size();
    }

    public int endpointCount() {
        return endpoints.size();
    }

    public int nodeCount() {
        return nodes.size();
    }

    public int policyCount() {
        return policies.size();
    }

    public int clusterPolicyCount() {
        return clusterPolicies.size();
    }
}
