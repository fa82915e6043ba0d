package dev.weir.graph;

import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.Node;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link PolicyGraph} kept up to date one {@link ClusterEvent} at a time. Each {@link #apply} touches only what the
 * event can affect (see {@link GroupIndex}) and reports it as a {@link GraphDelta}; {@link #graph()} returns an
 * immutable snapshot. The only builder of graphs: the agent feeds it informer events, and
 * {@link PolicyCompiler#compile(ClusterSnapshot)} (the CLI) the upserts of a snapshot. Policies of both kinds take
 * one path: compiled to a {@link CompiledPolicy}, attached to the members of the group they apply to, and listed per
 * endpoint in evaluation order. Pods are kept as reported and as policy sees them: when live pods claim one address,
 * the newest holds it and the others are held without it ({@link AddressClaims}). Mutable and single-threaded: one
 * owner (the sync loop) calls it.
 */
public final class IncrementalGraph {

    // The big maps are PatchedMaps: sorted arrays that graph() shares with the snapshot instead of copying them.
    private final PatchedMap<Namespace> namespaces = new PatchedMap<>();
    /** Every pod as the cluster reported it. */
    private final PatchedMap<Endpoint> reported = new PatchedMap<>();
    /** Every pod as policy sees it: reported, less the addresses newer pods hold ({@link AddressClaims}). */
    private final PatchedMap<Endpoint> endpoints = new PatchedMap<>();
    private final AddressClaims claims = new AddressClaims();
    private final EndpointsByNode byNode = new EndpointsByNode();
    private final Map<String, PatchedMap<Endpoint>> eligibleByNamespace = new HashMap<>();
    /** Compiled policies of every tier, by {@link CompiledPolicy#key}. */
    private final PatchedMap<CompiledPolicy> policies = new PatchedMap<>();
    private final Map<String, Integer> blockReferences = new HashMap<>();
    private final TreeMap<String, IpBlockSet> blocks = new TreeMap<>();
    /** Per group id, the keys of the policies applying to its members. */
    private final Map<String, TreeSet<String>> policiesAppliedTo = new HashMap<>();
    /** Per endpoint, the policies selecting it for ingress (and egress), in evaluation order. */
    private final Map<String, TreeSet<CompiledPolicy>> ingressOf = new HashMap<>();
    private final Map<String, TreeSet<CompiledPolicy>> egressOf = new HashMap<>();
    private final PatchedMap<EndpointPolicies> endpointPolicies = new PatchedMap<>();
    private final PatchedMap<Node> nodes = new PatchedMap<>();
    private final GroupIndex groups;
    private final NodeGroupIndex nodeGroups;

    private DeltaBuilder delta = new DeltaBuilder();

    public IncrementalGraph() {
        groups = new GroupIndex(new GroupIndex.World() {
            @Override
            public Namespace namespace(String name) {
                return namespaces.get(name);
            }

            @Override
            public Map<String, Endpoint> eligibleIn(String namespace) {
                PatchedMap<Endpoint> m = eligibleByNamespace.get(namespace);
                return m == null ? Map.of() : m.snapshot();
            }

            @Override
            public Collection<String> namespacesWithEligible() {
                return eligibleByNamespace.keySet();
            }
        }, new LiveGroups.Sink() {
            @Override
            public void added(LiveGroup<?, ?> g, String key) {
                delta.member(g.id).added(key);
                for (String policy : policiesAppliedTo.getOrDefault(g.id, new TreeSet<>())) {
                    attach(policies.get(policy), key);
                }
            }

            @Override
            public void removed(LiveGroup<?, ?> g, String key) {
                delta.member(g.id).removed(key);
                for (String policy : policiesAppliedTo.getOrDefault(g.id, new TreeSet<>())) {
                    detach(policies.get(policy), key);
                }
            }

            @Override
            public void readdressed(LiveGroup<?, ?> g, String key) {
                delta.member(g.id).readdressed.add(key);
            }
        });
        // node groups are never subjects, so a member change touches no policy list: only the delta hears of it
        nodeGroups = new NodeGroupIndex(nodes::values, new LiveGroups.Sink() {
            @Override
            public void added(LiveGroup<?, ?> g, String node) {
                delta.member(g.id).added(node);
            }

            @Override
            public void removed(LiveGroup<?, ?> g, String node) {
                delta.member(g.id).removed(node);
            }

            @Override
            public void readdressed(LiveGroup<?, ?> g, String node) {
                delta.member(g.id).readdressed.add(node);
            }
        });
    }

    /** A graph holding everything in {@code snapshot}. */
    public static IncrementalGraph of(ClusterSnapshot snapshot) {
        IncrementalGraph g = new IncrementalGraph();
        ClusterEvent.upsertsOf(snapshot).forEach(g::apply);
        return g;
    }

    /** Applies one event and says what it changed; an event that changes nothing yields an empty delta. */
    public GraphDelta apply(ClusterEvent event) {
        delta = new DeltaBuilder();
        ObjectKey key = event.key();
        ClusterObject now = event instanceof ClusterEvent.Upserted u ? u.object() : null;
        // the key's kind names the record's class: ClusterObject.key() of each record says so
        switch (key.kind()) {
            // interned: at 150,000 pods a second copy of every key costs ≈ 10 MiB, and the agent's pod cache holds
            // its key interned too (CompactPodStore)
            case POD -> podChanged(key.namespacedName().intern(), (Endpoint) now);
            case NAMESPACE -> namespaceChanged(key.name(), (Namespace) now);
            case NODE -> nodeChanged(key.name(), (Node) now);
            case NETWORK_POLICY, CLUSTER_NETWORK_POLICY -> policyChanged(key,
                    now == null ? null : PolicyCompiler.compile(now));
            default -> throw new AssertionError(key);
        }
        return delta.build(this);
    }

    /** An immutable snapshot of the current state; O(size of the graph), meant for once per sync. */
    public PolicyGraph graph() {
        TreeMap<String, PeerGroup> groupSnapshots = new TreeMap<>();
        for (LiveGroup<GroupSelector, PeerGroup> g : groups.all()) {
            groupSnapshots.put(g.id, g.snapshot());
        }
        TreeMap<String, NodeGroup> nodeGroupSnapshots = new TreeMap<>();
        for (LiveGroup<LabelSelector, NodeGroup> g : nodeGroups.all()) {
            nodeGroupSnapshots.put(g.id, g.snapshot());
        }
        return new PolicyGraph(namespaces.snapshot(), endpoints.snapshot(), claims.displaced(), nodes.snapshot(),
                policies.snapshot(), groupSnapshots, blocks, nodeGroupSnapshots, endpointPolicies.snapshot(),
                byNode.snapshot());
    }

    private void nodeChanged(String name, Node now) {
        Node before = now == null ? nodes.remove(name) : nodes.put(name, now);
        if (before == null ? now == null : before.equals(now)) {
            return;
        }
        delta.nodesChanged.add(name);
        nodeGroups.nodeChanged(name, before, now);
    }

    /**
     * A pod's reported record changed. The pods claiming the same addresses before or after may gain or lose one, so
     * each of them is brought up to date as policy sees it.
     */
    private void podChanged(String key, Endpoint now) {
        Endpoint before = now == null ? reported.remove(key) : reported.put(key, now);
        if (before == null ? now == null : before.equals(now)) {
            return;
        }
        delta.endpointsChanged.add(key); // even when only its lost addresses changed: the graph's displacements did
        for (String affected : claims.update(key, before, now)) {
            Endpoint r = reported.get(affected);
            heldChanged(affected, r == null ? null : claims.held(r));
        }
    }

    /** A pod as policy sees it changed (null when gone): its groups and so its policies follow. */
    private void heldChanged(String key, Endpoint now) {
        Endpoint before = now == null ? endpoints.remove(key) : endpoints.put(key, now);
        if (before == null ? now == null : before.equals(now)) {
            return;
        }
        delta.endpointsChanged.add(key);
        byNode.changed(before, now);
        Endpoint any = now != null ? now : before;
        Endpoint eligibleBefore = before != null && before.isPolicyEndpoint() ? before : null;
        Endpoint eligibleNow = now != null && now.isPolicyEndpoint() ? now : null;
        if (eligibleNow != null) {
            PatchedMap<Endpoint> m = eligibleByNamespace.computeIfAbsent(any.namespace(), k -> new PatchedMap<>());
            m.put(key, eligibleNow);
            key = m.heldKey(key); // the instance the map kept: every group shares that one string
        } else if (eligibleBefore != null) {
            PatchedMap<Endpoint> m = eligibleByNamespace.get(any.namespace());
            m.remove(key);
            if (m.isEmpty()) {
                eligibleByNamespace.remove(any.namespace());
            }
        }
        groups.podChanged(key, eligibleBefore, eligibleNow);
    }

    private void namespaceChanged(String name, Namespace now) {
        Namespace before = now == null ? namespaces.remove(name) : namespaces.put(name, now);
        if (before == null ? now == null : before.equals(now)) {
            return;
        }
        delta.namespacesChanged.add(name);
        groups.namespaceChanged(name, before, now);
    }

    private void policyChanged(ObjectKey source, CompiledPolicy now) {
        String key = CompiledPolicy.keyOf(source);
        CompiledPolicy before = policies.get(key);
        if (before == null ? now == null : before.equals(now)) {
            return;
        }
        (before == null ? delta.policiesAdded : now == null ? delta.policiesRemoved : delta.policiesChanged).add(key);
        // take the new references first, so a group both versions use is never dropped and rebuilt
        if (now != null) {
            acquire(now);
        }
        if (before != null) {
            String applied = before.appliedTo().id();
            for (String member : groups.get(applied).members()) {
                detach(before, member);
            }
            removeFrom(policiesAppliedTo, applied, key);
            policies.remove(key);
        }
        if (now != null) {
            policies.put(key, now);
            String applied = now.appliedTo().id();
            policiesAppliedTo.computeIfAbsent(applied, k -> new TreeSet<>()).add(key);
            for (String member : groups.get(applied).members()) {
                attach(now, member);
            }
        }
        if (before != null) {
            release(before);
        }
    }

    /**
     * What a policy references, each id once: the group it applies to, then the peers of its rules in order. A pure
     * function of the policy, so the references a policy took are found again from the policy itself when it goes
     * (no per-policy list of ids is kept: at 50,000 policies those cost ≈ 10 MiB).
     */
    private static Map<String, Object> referencesOf(CompiledPolicy p) {
        Map<String, Object> refs = new LinkedHashMap<>();
        refs.put(p.appliedTo().id(), p.appliedTo());
        for (PolicyType t : PolicyType.values()) {
            for (CompiledRule r : p.rules(t)) {
                for (PeerRef peer : r.peers()) {
                    refs.putIfAbsent(peer.id(), peer);
                }
            }
        }
        return refs;
    }

    /** References the group a policy applies to and every group, ipBlock set and node group of its rules once. */
    private void acquire(CompiledPolicy p) {
        referencesOf(p).forEach((id, ref) -> {
            if (ref instanceof GroupSelector applied) {
                if (groups.acquire(id, applied)) {
                    delta.groupsCreated.add(id);
                }
            } else if (ref instanceof PeerRef.Group g) {
                if (groups.acquire(id, g.selector())) {
                    delta.groupsCreated.add(id);
                }
            } else if (ref instanceof PeerRef.Nodes n) {
                if (nodeGroups.acquire(id, n.selector())) {
                    delta.groupsCreated.add(id);
                }
            } else if (ref instanceof PeerRef.Block b) {
                if (blockReferences.merge(id, 1, Integer::sum) == 1) {
                    blocks.put(id, b.set());
                    delta.ipBlockSetsCreated.add(id);
                }
            } else {
                throw new AssertionError(ref);
            }
        });
    }

    /** Drops the references {@link #acquire} took for the same policy. */
    private void release(CompiledPolicy p) {
        for (String id : referencesOf(p).keySet()) {
            Integer blockRefs = blockReferences.get(id);
            if (blockRefs != null) {
                if (blockRefs == 1) {
                    blockReferences.remove(id);
                    blocks.remove(id);
                    delta.ipBlockSetsRemoved.add(id);
                } else {
                    blockReferences.put(id, blockRefs - 1);
                }
            } else if (nodeGroups.contains(id)) {
                if (nodeGroups.release(id)) {
                    delta.groupsRemoved.add(id);
                }
            } else if (groups.release(id)) {
                delta.groupsRemoved.add(id);
            }
        }
    }

    private void attach(CompiledPolicy p, String endpoint) {
        delta.touch(endpoint, this);
        if (p.affects(PolicyType.INGRESS)) {
            ingressOf.computeIfAbsent(endpoint, k -> new TreeSet<>(CompiledPolicy.ORDER)).add(p);
        }
        if (p.affects(PolicyType.EGRESS)) {
            egressOf.computeIfAbsent(endpoint, k -> new TreeSet<>(CompiledPolicy.ORDER)).add(p);
        }
    }

    private void detach(CompiledPolicy p, String endpoint) {
        delta.touch(endpoint, this);
        removeFrom(ingressOf, endpoint, p);
        removeFrom(egressOf, endpoint, p);
    }

    /** Recomputes the published policy lists of an endpoint; returns the new value (none when unselected). */
    EndpointPolicies republish(String endpoint) {
        TreeSet<CompiledPolicy> in = ingressOf.get(endpoint);
        TreeSet<CompiledPolicy> out = egressOf.get(endpoint);
        if (in == null && out == null) {
            endpointPolicies.remove(endpoint);
            return EndpointPolicies.none();
        }
        EndpointPolicies ep = new EndpointPolicies(keys(in), keys(out));
        endpointPolicies.put(endpoint, ep);
        return ep;
    }

    private static List<String> keys(TreeSet<CompiledPolicy> ordered) {
        return ordered == null ? List.of() : ordered.stream().map(CompiledPolicy::key).toList();
    }

    EndpointPolicies published(String endpoint) {
        return endpointPolicies.getOrDefault(endpoint, EndpointPolicies.none());
    }

    private static <T> void removeFrom(Map<String, TreeSet<T>> index, String key, T value) {
        TreeSet<T> s = index.get(key);
        if (s != null) {
            s.remove(value);
            if (s.isEmpty()) {
                index.remove(key);
            }
        }
    }

    /** Collects one event's changes. */
    private static final class DeltaBuilder {
        final Map<String, Member> membership = new TreeMap<>();
        final Set<String> policiesAdded = new TreeSet<>();
        final Set<String> policiesRemoved = new TreeSet<>();
        final Set<String> policiesChanged = new TreeSet<>();
        final Set<String> groupsCreated = new TreeSet<>();
        final Set<String> groupsRemoved = new TreeSet<>();
        final Set<String> ipBlockSetsCreated = new TreeSet<>();
        final Set<String> ipBlockSetsRemoved = new TreeSet<>();
        final Set<String> endpointsChanged = new TreeSet<>();
        final Set<String> namespacesChanged = new TreeSet<>();
        final Set<String> nodesChanged = new TreeSet<>();
        final Map<String, EndpointPolicies> touchedBefore = new LinkedHashMap<>();

        static final class Member {
            final Set<String> added = new TreeSet<>();
            final Set<String> removed = new TreeSet<>();
            final Set<String> readdressed = new TreeSet<>();

            void added(String key) {
                if (!removed.remove(key)) {
                    added.add(key);
                }
            }

            void removed(String key) {
                if (!added.remove(key)) {
                    removed.add(key);
                }
            }
        }

        Member member(String groupId) {
            return membership.computeIfAbsent(groupId, k -> new Member());
        }

        void touch(String endpoint, IncrementalGraph g) {
            touchedBefore.computeIfAbsent(endpoint, g::published);
        }

        GraphDelta build(IncrementalGraph g) {
            Set<String> endpointPoliciesChanged = new TreeSet<>();
            touchedBefore.forEach((endpoint, before) -> {
                if (!g.republish(endpoint).equals(before)) {
                    endpointPoliciesChanged.add(endpoint);
                }
            });
            Map<String, GraphDelta.MembershipChange> changes = new TreeMap<>();
            membership.forEach((id, m) -> {
                if (!m.added.isEmpty() || !m.removed.isEmpty() || !m.readdressed.isEmpty()) {
                    changes.put(id, new GraphDelta.MembershipChange(id, List.copyOf(m.added), List.copyOf(m.removed),
                            List.copyOf(m.readdressed)));
                }
            });
            return new GraphDelta(changes, List.copyOf(policiesAdded), List.copyOf(policiesRemoved),
                    List.copyOf(policiesChanged), List.copyOf(endpointPoliciesChanged), List.copyOf(groupsCreated),
                    List.copyOf(groupsRemoved), List.copyOf(ipBlockSetsCreated), List.copyOf(ipBlockSetsRemoved),
                    List.copyOf(endpointsChanged), List.copyOf(namespacesChanged), List.copyOf(nodesChanged));
        }
    }
}
