package dev.weir.agent;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The agent's view of the cluster, owned by the sync worker (single-threaded): the latest translated record of every
 * object, the policies currently rejected, and the graph compiled from them (recompiled only after a change).
 */
public final class ClusterState {

    private final Function<ClusterSnapshot, PolicyGraph> compiler;
    private final SortedMap<String, Namespace> namespaces = new TreeMap<>();
    private final SortedMap<String, Endpoint> endpoints = new TreeMap<>();
    private final SortedMap<String, NetworkPolicy> policies = new TreeMap<>();
    private final SortedMap<String, Rejection> rejections = new TreeMap<>();
    private PolicyGraph graph;

    public ClusterState() {
        this(PolicyCompiler::compile);
    }

    public ClusterState(Function<ClusterSnapshot, PolicyGraph> compiler) {
        this.compiler = compiler;
    }

    /** Applies one change; returns false when it changed nothing (the same record again). */
    public boolean apply(Change change) {
        boolean changed = applyTo(change);
        if (changed) {
            graph = null;
        }
        return changed;
    }

    private boolean applyTo(Change change) {
        String key = change.key();
        if (change instanceof Change.NamespaceUpsert u) {
            return !u.namespace().equals(namespaces.put(key, u.namespace()));
        } else if (change instanceof Change.NamespaceDelete) {
            return namespaces.remove(key) != null;
        } else if (change instanceof Change.PodUpsert u) {
            return !u.endpoint().equals(endpoints.put(key, u.endpoint()));
        } else if (change instanceof Change.PodDelete) {
            return endpoints.remove(key) != null;
        } else if (change instanceof Change.PolicyUpsert u) {
            boolean wasRejected = rejections.remove(key) != null;
            return !u.policy().equals(policies.put(key, u.policy())) || wasRejected;
        } else if (change instanceof Change.PolicyDelete) {
            boolean wasRejected = rejections.remove(key) != null;
            return policies.remove(key) != null || wasRejected;
        } else if (change instanceof Change.PolicyRejected r) {
            // A policy that turns invalid is left out whole, as the translator's contract says; the others stay.
            boolean removed = policies.remove(key) != null;
            return !r.rejection().equals(rejections.put(key, r.rejection())) || removed;
        }
        throw new AssertionError(change);
    }

    /**
     * Makes the state equal to {@code everything} (a full resync from the informer caches): applies each change and
     * deletes what it does not mention. Returns false when the state was already equal, so an idle resync costs no
     * recompile.
     */
    public boolean replaceAll(java.util.Collection<Change> everything) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean changed = false;
        for (Change c : everything) {
            seen.add(c.key());
            changed |= apply(c);
        }
        changed |= removeUnseen(namespaces, seen) | removeUnseen(endpoints, seen) | removeUnseen(policies, seen)
                | removeUnseen(rejections, seen);
        if (changed) {
            graph = null;
        }
        return changed;
    }

    private static boolean removeUnseen(Map<String, ?> map, java.util.Set<String> seen) {
        return map.keySet().removeIf(k -> !seen.contains(k));
    }

    /** The compiled graph of the current state; compiled once per change batch. */
    public PolicyGraph graph() {
        if (graph == null) {
            graph = compiler.apply(snapshot());
        }
        return graph;
    }

    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(new ArrayList<>(namespaces.values()), new ArrayList<>(endpoints.values()),
                new ArrayList<>(policies.values()));
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

    public int policyCount() {
        return policies.size();
    }
}
