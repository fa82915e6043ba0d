package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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

    /** Receives every membership change as it happens. */
    interface Sink {
        void added(Live group, String endpointKey);

        void removed(Live group, String endpointKey);

        void readdressed(Live group, String endpointKey);
    }

    /** A group with its current members. */
    static final class Live {
        final String id;
        final GroupSelector selector;
        final TreeSet<String> members = new TreeSet<>();
        int references;
        PeerGroup snapshot; // null when members changed since the last snapshot

        Live(String id, GroupSelector selector) {
            this.id = id;
            this.selector = selector;
        }

        PeerGroup snapshot() {
            if (snapshot == null) {
                snapshot = new PeerGroup(selector, List.copyOf(members));
            }
            return snapshot;
        }
    }

    /** Groups of one scope (one namespace, or across namespaces) indexed by the pod keys they read. */
    private static final class Scope {
        final Map<String, Map<String, Live>> readers = new HashMap<>();
        final Map<String, Map<String, Live>> anchored = new HashMap<>();
        final Map<String, Live> unanchored = new LinkedHashMap<>();

        void add(Live g) {
            LabelSelector pods = g.selector.podSelector();
            for (String key : pods.keys()) {
                readers.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(g.id, g);
            }
            String anchor = anchor(pods);
            if (anchor == null) {
                unanchored.put(g.id, g);
            } else {
                anchored.computeIfAbsent(anchor, k -> new LinkedHashMap<>()).put(g.id, g);
            }
        }

        void remove(Live g) {
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
        void candidates(Map<String, String> labels, Map<String, Live> out) {
            out.putAll(unanchored);
            for (String key : labels.keySet()) {
                Map<String, Live> m = anchored.get(key);
                if (m != null) {
                    out.putAll(m);
                }
            }
        }

        /** Groups whose verdict may differ between two label sets with these differing keys. */
        void readersOf(Set<String> keys, Map<String, Live> out) {
            for (String key : keys) {
                Map<String, Live> m = readers.get(key);
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
    private final Sink sink;
    private final Map<String, Live> byId = new HashMap<>();
    private final Map<String, Scope> scoped = new HashMap<>();
    private final Scope cross = new Scope();
    private final Map<String, Map<String, Live>> crossByNamespaceKey = new HashMap<>();

    GroupIndex(World world, Sink sink) {
        this.world = world;
        this.sink = sink;
    }

    Live get(String id) {
        return byId.get(id);
    }

    Collection<Live> all() {
        return byId.values();
    }

    /** Takes a reference on the group, creating and filling it when new; returns true when it was created. */
    boolean acquire(String id, GroupSelector selector) {
        Live g = byId.get(id);
        if (g != null) {
            g.references++;
            return false;
        }
        g = new Live(id, selector);
        g.references = 1;
        byId.put(id, g);
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
        Live g = Objects.requireNonNull(byId.get(id), () -> "no live group " + id);
        if (--g.references > 0) {
            return false;
        }
        byId.remove(id);
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
        for (String member : g.members) {
            sink.removed(g, member);
        }
        return true;
    }

    private void fill(Live g, String namespace) {
        for (Map.Entry<String, Endpoint> e : world.eligibleIn(namespace).entrySet()) {
            if (g.selector.podSelector().matches(e.getValue().labels()) && g.members.add(e.getKey())) {
                g.snapshot = null;
                sink.added(g, e.getKey());
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
        Map<String, Live> candidates = new LinkedHashMap<>();
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
        for (Live g : candidates.values()) {
            boolean was = g.members.contains(key);
            boolean is = after != null && g.selector.matchesNamespace(ns, nsObject)
                    && g.selector.podSelector().matches(after.labels());
            if (was && !is) {
                g.members.remove(key);
                g.snapshot = null;
                sink.removed(g, key);
            } else if (!was && is) {
                g.members.add(key);
                g.snapshot = null;
                sink.added(g, key);
            } else if (was && before != null && after != null && readdressed(before, after)) {
                sink.readdressed(g, key);
            }
        }
    }

    /** A namespace object appeared, changed labels or disappeared ({@code before}/{@code after} null when absent). */
    void namespaceChanged(String name, Namespace before, Namespace after) {
        Map<String, Endpoint> pods = world.eligibleIn(name);
        if (pods.isEmpty()) {
            return;
        }
        Map<String, Live> candidates = new LinkedHashMap<>();
        if (before != null && after != null) {
            for (String key : changedKeys(before.labels(), after.labels())) {
                Map<String, Live> m = crossByNamespaceKey.get(key);
                if (m != null) {
                    candidates.putAll(m);
                }
            }
        } else {
            // unknown <-> known flips every selector that reads namespace labels; {} matches either way
            for (Map<String, Live> m : crossByNamespaceKey.values()) {
                candidates.putAll(m);
            }
        }
        for (Live g : candidates.values()) {
            boolean was = g.selector.matchesNamespace(name, before);
            boolean is = g.selector.matchesNamespace(name, after);
            if (was == is) {
                continue;
            }
            for (Map.Entry<String, Endpoint> e : pods.entrySet()) {
                if (!g.selector.podSelector().matches(e.getValue().labels())) {
                    continue;
                }
                boolean changed = is ? g.members.add(e.getKey()) : g.members.remove(e.getKey());
                if (changed) {
                    g.snapshot = null;
                    if (is) {
                        sink.added(g, e.getKey());
                    } else {
                        sink.removed(g, e.getKey());
                    }
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

    private static void removeFrom(Map<String, Map<String, Live>> index, String key, String id) {
        Map<String, Live> m = index.get(key);
        if (m != null) {
            m.remove(id);
            if (m.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
