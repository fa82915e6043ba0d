package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live pod groups of an {@link IncrementalGraph}, reference counted, with the indexes that keep a change cheap:
 * <ul>
 * <li>by the pod label keys a selector reads (a label change re-evaluates only the readers of the changed keys);
 * <li>by an anchor key, one key that a pod must carry to match ({@code In} or {@code Exists}); selectors without one
 * (empty, or only {@code NotIn}/{@code DoesNotExist}) are unanchored and always candidates for a new pod;
 * <li>for cross-namespace groups, by the namespace label keys their namespaceSelector reads.
 * </ul>
 * Namespace-scoped groups are indexed per namespace. Single-threaded, owned by its graph.
 */
final class GroupIndex {

    /** What the index needs to know of the cluster. */
    interface World {
        Namespace namespace(String name);

        /**
         * Eligible endpoints (see {@link Endpoint#isPolicyEndpoint()}) of a namespace, by key; groups store these key
         * instances, so a pod in many groups costs one string.
         */
        Map<String, Endpoint> eligibleIn(String namespace);

        /** Namespaces that have eligible endpoints. */
        Collection<String> namespacesWithEligible();
    }

    /** Groups of one scope (one namespace, or across namespaces) indexed by the pod keys they read. */
    private static final class Scope {
        // a namespace's scope holds a few groups, and there are as many scopes as namespaces: the maps start with
        // room for two entries (the default sixteen cost ≈ 3 MiB at 10,000 namespaces); these are only looked up, or
        // iterate in insertion order, so their capacity changes no order
        final Map<String, Map<String, LiveGroup<GroupSelector, PeerGroup>>> readers = new HashMap<>(2);
        final Map<String, Map<String, LiveGroup<GroupSelector, PeerGroup>>> anchored = new HashMap<>(2);
        final Map<String, LiveGroup<GroupSelector, PeerGroup>> unanchored = new LinkedHashMap<>(2);

        void add(LiveGroup<GroupSelector, PeerGroup> g) {
            LabelSelector pods = g.selector.podSelector();
            for (String key : pods.keys()) {
                readers.computeIfAbsent(key, k -> new LinkedHashMap<>(2)).put(g.id, g);
            }
            String anchor = anchor(pods);
            if (anchor == null) {
                unanchored.put(g.id, g);
            } else {
                anchored.computeIfAbsent(anchor, k -> new LinkedHashMap<>(2)).put(g.id, g);
            }
        }

        void remove(LiveGroup<GroupSelector, PeerGroup> g) {
            LabelSelector pods = g.selector.podSelector();
            for (String key : pods.keys()) {
                removeFrom(readers, key, g.id);
            }
            String anchor = anchor(pods);
            if (anchor == null) {
                unanchored.remove(g.id);
            } else {
                removeFrom(anchored, anchor, g.id);
            }
        }

        boolean isEmpty() {
            return unanchored.isEmpty() && anchored.isEmpty();
        }

        /** Groups that could contain a pod with these labels. */
        void candidates(Map<String, String> labels, Map<String, LiveGroup<GroupSelector, PeerGroup>> out) {
            out.putAll(unanchored);
            for (String key : labels.keySet()) {
                Map<String, LiveGroup<GroupSelector, PeerGroup>> m = anchored.get(key);
                if (m != null) {
                    out.putAll(m);
                }
            }
        }

        /** Groups whose verdict may differ between two label sets with these differing keys. */
        void readersOf(Set<String> keys, Map<String, LiveGroup<GroupSelector, PeerGroup>> out) {
            for (String key : keys) {
                Map<String, LiveGroup<GroupSelector, PeerGroup>> m = readers.get(key);
                if (m != null) {
                    out.putAll(m);
                }
            }
        }

        private static String anchor(LabelSelector s) {
            for (LabelSelector.Requirement r : s.requirements()) {
                if (r.operator() == LabelSelector.Operator.IN || r.operator() == LabelSelector.Operator.EXISTS) {
                    return r.key();
                }
            }
            return null;
        }
    }

    private final World world;
    private final LiveGroups<GroupSelector, PeerGroup> live;
    private final Map<String, Scope> scoped = new HashMap<>();
    private final Scope cross = new Scope();
    private final Map<String, Map<String, LiveGroup<GroupSelector, PeerGroup>>> crossByNamespaceKey = new HashMap<>();

    GroupIndex(World world, LiveGroups.Sink sink) {
        this.world = world;
        this.live = new LiveGroups<>("group", PeerGroup::new, sink);
    }

    LiveGroup<GroupSelector, PeerGroup> get(String id) {
        return live.get(id);
    }

    Collection<LiveGroup<GroupSelector, PeerGroup>> all() {
        return live.all();
    }

    /** Takes a reference on the group, creating and filling it when new; returns true when it was created. */
    boolean acquire(String id, GroupSelector selector) {
        LiveGroup<GroupSelector, PeerGroup> g = live.acquire(id, selector);
        if (g == null) {
            return false;
        }
        if (selector.namespace() != null) {
            scoped.computeIfAbsent(selector.namespace(), k -> new Scope()).add(g);
            fill(g, selector.namespace());
        } else {
            cross.add(g);
            LabelSelector ns = selector.namespaceSelector();
            for (String key : ns.keys()) {
                crossByNamespaceKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(id, g);
            }
            for (String name : new ArrayList<>(world.namespacesWithEligible())) {
                if (selector.matchesNamespace(name, world.namespace(name))) {
                    fill(g, name);
                }
            }
        }
        return true;
    }

    /** Drops a reference; the last one removes the group (reporting every member removed). True when removed. */
    boolean release(String id) {
        LiveGroup<GroupSelector, PeerGroup> g = live.release(id);
        if (g == null) {
            return false;
        }
        GroupSelector s = g.selector;
        if (s.namespace() != null) {
            Scope scope = scoped.get(s.namespace());
            scope.remove(g);
            if (scope.isEmpty()) {
                scoped.remove(s.namespace());
            }
        } else {
            cross.remove(g);
            for (String key : s.namespaceSelector().keys()) {
                removeFrom(crossByNamespaceKey, key, id);
            }
        }
        return true;
    }

    private void fill(LiveGroup<GroupSelector, PeerGroup> g, String namespace) {
        for (Map.Entry<String, Endpoint> e : world.eligibleIn(namespace).entrySet()) {
            if (g.selector.podSelector().matches(e.getValue().labels())) {
                live.add(g, e.getKey());
            }
        }
    }

    /**
     * A pod changed. {@code before}/{@code after} are its eligible versions, null when it was or is not an eligible
     * endpoint (absent, hostNetwork, no IP, finished). Both non-null means the same pod stayed eligible. {@code key}
     * is its key, the instance groups should store.
     */
    void podChanged(String key, Endpoint before, Endpoint after) {
        if (before == null && after == null) {
            return;
        }
        Endpoint any = after != null ? after : before;
        String ns = any.namespace();
        Namespace nsObject = world.namespace(ns);
        Map<String, LiveGroup<GroupSelector, PeerGroup>> candidates = new LinkedHashMap<>();
        Scope scope = scoped.get(ns);
        if (before != null && after != null && !readdressed(before, after)) {
            Set<String> changedKeys = changedKeys(before.labels(), after.labels());
            if (scope != null) {
                scope.readersOf(changedKeys, candidates);
            }
            cross.readersOf(changedKeys, candidates);
        } else {
            for (Endpoint e : new Endpoint[] {before, after}) {
                if (e != null) {
                    if (scope != null) {
                        scope.candidates(e.labels(), candidates);
                    }
                    cross.candidates(e.labels(), candidates);
                }
            }
        }
        boolean addressChanged = before != null && after != null && readdressed(before, after);
        for (LiveGroup<GroupSelector, PeerGroup> g : candidates.values()) {
            boolean was = g.contains(key);
            boolean is = after != null && g.selector.matchesNamespace(ns, nsObject)
                    && g.selector.podSelector().matches(after.labels());
            live.changed(g, key, was, is, addressChanged);
        }
    }

    /** A namespace object appeared, changed labels or disappeared ({@code before}/{@code after} null when absent). */
    void namespaceChanged(String name, Namespace before, Namespace after) {
        Map<String, Endpoint> pods = world.eligibleIn(name);
        if (pods.isEmpty()) {
            return;
        }
        Map<String, LiveGroup<GroupSelector, PeerGroup>> candidates = new LinkedHashMap<>();
        if (before != null && after != null) {
            for (String key : changedKeys(before.labels(), after.labels())) {
                Map<String, LiveGroup<GroupSelector, PeerGroup>> m = crossByNamespaceKey.get(key);
                if (m != null) {
                    candidates.putAll(m);
                }
            }
        } else {
            // unknown <-> known flips every selector that reads namespace labels; {} matches either way
            for (Map<String, LiveGroup<GroupSelector, PeerGroup>> m : crossByNamespaceKey.values()) {
                candidates.putAll(m);
            }
        }
        for (LiveGroup<GroupSelector, PeerGroup> g : candidates.values()) {
            boolean was = g.selector.matchesNamespace(name, before);
            boolean is = g.selector.matchesNamespace(name, after);
            if (was == is) {
                continue;
            }
            for (Map.Entry<String, Endpoint> e : pods.entrySet()) {
                if (!g.selector.podSelector().matches(e.getValue().labels())) {
                    continue;
                }
                if (is) {
                    live.add(g, e.getKey());
                } else {
                    live.remove(g, e.getKey());
                }
            }
        }
    }

    /** Whether a member's address set for ipsets changed: its IPs, or the ports its named ports resolve to. */
    static boolean readdressed(Endpoint before, Endpoint after) {
        return !before.ips().equals(after.ips()) || !before.ports().equals(after.ports());
    }

    private static Set<String> changedKeys(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new HashSet<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) {
                keys.add(k);
            }
        });
        b.forEach((k, v) -> {
            if (!a.containsKey(k)) {
                keys.add(k);
            }
        });
        return keys;
    }

    private static <G> void removeFrom(Map<String, Map<String, G>> index, String key, String id) {
        Map<String, G> m = index.get(key);
        if (m != null) {
            m.remove(id);
            if (m.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
