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
        String key = change.key();
        if (change instanceof Change.NamespaceUpsert u) {
            return changed(!u.namespace().equals(namespaces.put(key, u.namespace())),
                    new ClusterEvent.NamespaceUpserted(u.namespace()));
        } else if (change instanceof Change.NamespaceDelete d) {
            return changed(namespaces.remove(key) != null, new ClusterEvent.NamespaceDeleted(d.name()));
        } else if (change instanceof Change.PodUpsert u) {
            return changed(!u.endpoint().equals(endpoints.put(key, u.endpoint())),
                    new ClusterEvent.PodUpserted(u.endpoint()));
        } else if (change instanceof Change.PodDelete d) {
            return changed(endpoints.remove(key) != null, new ClusterEvent.PodDeleted(d.namespace(), d.name()));
        } else if (change instanceof Change.NodeUpsert u) {
            return changed(!u.node().equals(nodes.put(key, u.node())), new ClusterEvent.NodeUpserted(u.node()));
        } else if (change instanceof Change.NodeDelete d) {
            return changed(nodes.remove(key) != null, new ClusterEvent.NodeDeleted(d.name()));
        } else if (change instanceof Change.PolicyUpsert u) {
            boolean wasRejected = rejections.remove(key) != null;
            return changed(!u.policy().equals(policies.put(key, u.policy())),
                    new ClusterEvent.PolicyUpserted(u.policy())) || wasRejected;
        } else if (change instanceof Change.PolicyDelete d) {
            boolean wasRejected = rejections.remove(key) != null;
            return changed(policies.remove(key) != null, new ClusterEvent.PolicyDeleted(d.namespace(), d.name()))
                    || wasRejected;
        } else if (change instanceof Change.ClusterPolicyUpsert u) {
            boolean wasRejected = rejections.remove(key) != null;
            return changed(!u.policy().equals(clusterPolicies.put(key, u.policy())),
                    new ClusterEvent.ClusterPolicyUpserted(u.policy())) || wasRejected;
        } else if (change instanceof Change.ClusterPolicyDelete d) {
            boolean wasRejected = rejections.remove(key) != null;
            return changed(clusterPolicies.remove(key) != null, new ClusterEvent.ClusterPolicyDeleted(d.name()))
                    || wasRejected;
        } else if (change instanceof Change.PolicyRejected r) {
            // A policy that turns invalid is left out whole, as the translator's contract says; the others stay.
            NetworkPolicy before = policies.remove(key);
            ClusterPolicy clusterBefore = clusterPolicies.remove(key);
            boolean removed = before != null
                    && changed(true, new ClusterEvent.PolicyDeleted(before.namespace(), before.name()));
            removed |= clusterBefore != null
                    && changed(true, new ClusterEvent.ClusterPolicyDeleted(clusterBefore.name()));
            return !r.rejection().equals(rejections.put(key, r.rejection())) || removed;
        }
        throw new AssertionError(change);
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
        List<Change> deletes = new ArrayList<>();
        namespaces.forEach((k, ns) -> {
            if (!seen.contains(k)) {
                deletes.add(new Change.NamespaceDelete(ns.name()));
            }
        });
        endpoints.forEach((k, e) -> {
            if (!seen.contains(k)) {
                deletes.add(new Change.PodDelete(e.namespace(), e.name()));
            }
        });
        nodes.forEach((k, n) -> {
            if (!seen.contains(k)) {
                deletes.add(new Change.NodeDelete(n.name()));
            }
        });
        policies.forEach((k, p) -> {
            if (!seen.contains(k)) {
                deletes.add(new Change.PolicyDelete(p.namespace(), p.name()));
            }
        });
        clusterPolicies.forEach((k, p) -> {
            if (!seen.contains(k)) {
                deletes.add(new Change.ClusterPolicyDelete(p.name()));
            }
        });
        rejections.forEach((k, r) -> {
            if (!seen.contains(k)) {
                deletes.add(r.object().namespace() == null ? new Change.ClusterPolicyDelete(r.object().name())
                        : new Change.PolicyDelete(r.object().namespace(), r.object().name()));
            }
        });
        for (Change d : deletes) {
            changed |= apply(d);
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
