package dev.weir.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.ObjectKey;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * For many seeds, random sequences of events (pods, namespaces, nodes, policies, cluster policies; pods often claim
 * one address): after every event the incremental graph equals a full compile of the same state, and the delta says
 * exactly what changed between the two graphs.
 */
class IncrementalGraphPropertyTest {

    private static final int SEEDS = 100;
    private static final int EVENTS = 50;

    @Test
    void incrementalGraphAlwaysEqualsAFullCompileAndDeltasReplay() {
        java.util.Map<String, Integer> nodeCoverage = new TreeMap<>();
        java.util.Map<String, Integer> claimCoverage = new TreeMap<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomCluster random = new RandomCluster(seed);
            IncrementalGraph incremental = new IncrementalGraph();
            Mirror mirror = new Mirror();
            PolicyGraph previous = incremental.graph();
            for (int i = 0; i < EVENTS; i++) {
                ClusterEvent event = random.nextEvent();
                GraphDelta delta = incremental.apply(event);
                mirror.apply(event);
                PolicyGraph now = incremental.graph();
                String where = "seed " + seed + " event " + i + " " + event;
                assertThat(now).as(where).isEqualTo(PolicyCompiler.compile(mirror.snapshot()));
                assertDeltaDescribes(delta, previous, now, where);
                assertEndpointsByNode(now, where);
                countNodeCoverage(event, delta, previous, now, nodeCoverage);
                countClaimCoverage(event, previous, now, claimCoverage);
                previous = now;
            }
        }
        // node events must move nodes in and out of node groups and readdress members, or they prove little
        assertThat(nodeCoverage).as("node group changes seen").containsKeys("node event", "node joined a group",
                "node left a group", "member node readdressed", "node group created");
        assertThat(nodeCoverage.get("node joined a group")).isGreaterThan(20);
        assertThat(nodeCoverage.get("member node readdressed")).isGreaterThan(5);
        // and pod events must take addresses from other pods and give them back, by every rule of who holds one
        assertThat(claimCoverage).as("address claims seen").containsKeys("another pod lost an address",
                "another pod got an address back", "lost to a newer pod", "lost on a tie", "lost on unknown times",
                "a pod holding an address over an unknown time");
        assertThat(claimCoverage.get("another pod lost an address")).isGreaterThan(80);
        assertThat(claimCoverage.get("another pod got an address back")).isGreaterThan(25);
    }

    /** Counts the pod events that moved an address from one pod to another, and by which rule it moved. */
    private static void countClaimCoverage(ClusterEvent event, PolicyGraph before, PolicyGraph now,
            java.util.Map<String, Integer> seen) {
        String key = event.key().namespacedName();
        now.displaced().forEach((k, d) -> {
            if (!k.equals(key) && !d.equals(before.displaced().get(k))) {
                seen.merge("another pod lost an address", 1, Integer::sum);
            }
            d.heldBy().values().forEach(holderKey -> {
                java.time.Instant holder = now.endpoint(holderKey).created();
                java.time.Instant loser = d.reported().created();
                seen.merge(holder == null ? "lost on unknown times" : holder.equals(loser) ? "lost on a tie"
                        : loser == null ? "a pod holding an address over an unknown time" : "lost to a newer pod", 1,
                        Integer::sum);
            });
        });
        before.displaced().forEach((k, d) -> {
            Endpoint after = now.endpoint(k);
            if (!k.equals(key) && after != null && after.ips().size() > before.endpoint(k).ips().size()) {
                seen.merge("another pod got an address back", 1, Integer::sum);
            }
        });
    }

    private static void countNodeCoverage(ClusterEvent event, GraphDelta delta, PolicyGraph before, PolicyGraph now,
            java.util.Map<String, Integer> seen) {
        if (event.key().kind() == ObjectKey.Kind.NODE) {
            seen.merge("node event", 1, Integer::sum);
        }
        delta.membership().forEach((id, change) -> {
            if (!now.nodeGroups().containsKey(id) && !before.nodeGroups().containsKey(id)) {
                return;
            }
            if (event.key().kind() == ObjectKey.Kind.NODE) {
                if (!change.added().isEmpty()) {
                    seen.merge("node joined a group", 1, Integer::sum);
                }
                if (!change.removed().isEmpty()) {
                    seen.merge("node left a group", 1, Integer::sum);
                }
                if (!change.readdressed().isEmpty()) {
                    seen.merge("member node readdressed", 1, Integer::sum);
                }
            }
        });
        delta.groupsCreated().stream().filter(now.nodeGroups()::containsKey)
                .forEach(id -> seen.merge("node group created", 1, Integer::sum));
    }

    /**
     * A renderer reuses what it built from a group snapshot while the next graph holds the very same instance
     * ({@code SetMemo}), so a shared instance must mean the same members at the same addresses and ports, for pod and
     * node groups alike.
     */
    @Test
    void aGroupSnapshotSharedByTwoGraphsHasTheSameMembersAtTheSameAddresses() {
        int shared = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            RandomCluster random = new RandomCluster(seed);
            IncrementalGraph incremental = new IncrementalGraph();
            PolicyGraph previous = incremental.graph();
            for (int i = 0; i < EVENTS; i++) {
                ClusterEvent event = random.nextEvent();
                incremental.apply(event);
                PolicyGraph now = incremental.graph();
                String where = "seed " + seed + " event " + i + " " + event;
                for (var e : now.groups().entrySet()) {
                    if (previous.groups().get(e.getKey()) == e.getValue()) {
                        shared++;
                        assertThat(addressed(now.members(e.getKey()))).as(where)
                                .isEqualTo(addressed(previous.members(e.getKey())));
                    }
                }
                for (var e : now.nodeGroups().entrySet()) {
                    if (previous.nodeGroups().get(e.getKey()) == e.getValue()) {
                        assertThat(now.nodeMembers(e.getKey())).as(where).isEqualTo(previous.nodeMembers(e.getKey()));
                    }
                }
                previous = now;
            }
        }
        assertThat(shared).as("snapshots shared between graphs").isGreaterThan(1000);
    }

    /** What a set is built from: each member's addresses and ports. */
    private static java.util.List<String> addressed(java.util.List<Endpoint> members) {
        return members.stream().map(m -> m.key() + " " + m.ips() + " " + m.ports()).toList();
    }

    @Test
    void repeatingAnyEventYieldsAnEmptyDelta() {
        for (long seed = 1; seed <= 50; seed++) {
            RandomCluster random = new RandomCluster(seed);
            IncrementalGraph incremental = new IncrementalGraph();
            for (int i = 0; i < 40; i++) {
                ClusterEvent event = random.nextEvent();
                incremental.apply(event);
                assertThat(incremental.apply(event).isEmpty()).as("seed %d event %d %s", seed, i, event).isTrue();
            }
        }
    }

    /** The per-node index the graph keeps up to date lists exactly the endpoints on each node, in key order. */
    private static void assertEndpointsByNode(PolicyGraph g, String where) {
        java.util.Map<String, java.util.List<dev.weir.model.Endpoint>> expected = new TreeMap<>();
        g.endpoints().values().stream().filter(e -> e.node() != null)
                .forEach(e -> expected.computeIfAbsent(e.node(), k -> new java.util.ArrayList<>()).add(e));
        for (var e : expected.entrySet()) {
            assertThat(g.endpointsOn(e.getKey())).as(where + ": endpoints on " + e.getKey())
                    .containsExactlyElementsOf(e.getValue());
        }
        for (String node : java.util.List.of("n0", "n1", "n2", "n3", "n4", "n5", "node-a", "node-b", "nowhere")) {
            assertThat(g.endpointsOn(node)).as(where + ": endpoints on " + node)
                    .containsExactlyElementsOf(expected.getOrDefault(node, java.util.List.of()));
        }
    }

    private static void assertDeltaDescribes(GraphDelta delta, PolicyGraph before, PolicyGraph after, String where) {
        assertThat(delta.isEmpty()).as(where + ": empty delta iff nothing changed").isEqualTo(before.equals(after));
        // membership: replaying the changes over the old members gives the new members
        Set<String> allGroups = new TreeSet<>(before.groups().keySet());
        allGroups.addAll(after.groups().keySet());
        for (String id : allGroups) {
            Set<String> old = before.groups().containsKey(id) ? new TreeSet<>(before.group(id).members()) : Set.of();
            Set<String> now = after.groups().containsKey(id) ? new TreeSet<>(after.group(id).members()) : Set.of();
            GraphDelta.MembershipChange change = delta.membership().get(id);
            Set<String> replayed = new TreeSet<>(old);
            Set<String> readdressed = new TreeSet<>();
            for (String key : old) {
                if (now.contains(key) && GroupIndex.readdressed(before.endpoint(key), after.endpoint(key))) {
                    readdressed.add(key);
                }
            }
            if (change != null) {
                replayed.addAll(change.added());
                replayed.removeAll(change.removed());
                Set<String> addedButOld = new TreeSet<>(change.added());
                addedButOld.retainAll(old);
                assertThat(addedButOld).as(where + ": added were not members " + id).isEmpty();
                assertThat(old).as(where + ": removed were members " + id).containsAll(change.removed());
                assertThat(change.readdressed()).as(where + ": readdressed " + id).containsExactlyElementsOf(readdressed);
            } else {
                assertThat(readdressed).as(where + ": unreported readdress in " + id).isEmpty();
            }
            assertThat(replayed).as(where + ": replayed membership of " + id).isEqualTo(now);
        }
        // node groups: the same, with node names as members and address changes as readdresses
        Set<String> allNodeGroups = new TreeSet<>(before.nodeGroups().keySet());
        allNodeGroups.addAll(after.nodeGroups().keySet());
        for (String id : allNodeGroups) {
            Set<String> old = before.nodeGroups().containsKey(id) ? new TreeSet<>(before.nodeGroup(id).members())
                    : Set.of();
            Set<String> now = after.nodeGroups().containsKey(id) ? new TreeSet<>(after.nodeGroup(id).members())
                    : Set.of();
            Set<String> readdressed = new TreeSet<>();
            for (String name : old) {
                if (now.contains(name) && !before.node(name).addresses().equals(after.node(name).addresses())) {
                    readdressed.add(name);
                }
            }
            GraphDelta.MembershipChange change = delta.membership().get(id);
            Set<String> replayed = new TreeSet<>(old);
            if (change != null) {
                replayed.addAll(change.added());
                replayed.removeAll(change.removed());
                Set<String> addedButOld = new TreeSet<>(change.added());
                addedButOld.retainAll(old);
                assertThat(addedButOld).as(where + ": added were not members " + id).isEmpty();
                assertThat(old).as(where + ": removed were members " + id).containsAll(change.removed());
                assertThat(change.readdressed()).as(where + ": readdressed " + id).containsExactlyElementsOf(readdressed);
            } else {
                assertThat(readdressed).as(where + ": unreported readdress in " + id).isEmpty();
            }
            assertThat(replayed).as(where + ": replayed membership of " + id).isEqualTo(now);
        }
        // structure
        assertThat(delta.groupsCreated()).as(where).containsExactlyElementsOf(minus(allGroupIds(after),
                allGroupIds(before)));
        assertThat(delta.groupsRemoved()).as(where).containsExactlyElementsOf(minus(allGroupIds(before),
                allGroupIds(after)));
        assertThat(delta.nodesChanged()).as(where).containsExactlyElementsOf(changedNodes(before, after));
        assertThat(delta.ipBlockSetsCreated()).as(where).containsExactlyElementsOf(minus(after.ipBlockSets().keySet(),
                before.ipBlockSets().keySet()));
        assertThat(delta.ipBlockSetsRemoved()).as(where).containsExactlyElementsOf(minus(before.ipBlockSets().keySet(),
                after.ipBlockSets().keySet()));
        assertThat(delta.policiesAdded()).as(where).containsExactlyElementsOf(minus(policyKeys(after),
                policyKeys(before)));
        assertThat(delta.policiesRemoved()).as(where).containsExactlyElementsOf(minus(policyKeys(before),
                policyKeys(after)));
        Set<String> changedPolicies = new TreeSet<>();
        before.policies().forEach((k, v) -> {
            if (after.policies().containsKey(k) && !after.policy(k).equals(v)) {
                changedPolicies.add(k);
            }
        });
        assertThat(delta.policiesChanged()).as(where).containsExactlyElementsOf(changedPolicies);
        Set<String> endpointKeys = new TreeSet<>(before.endpointPolicies().keySet());
        endpointKeys.addAll(after.endpointPolicies().keySet());
        endpointKeys.removeIf(k -> before.policiesFor(k).equals(after.policiesFor(k)));
        assertThat(delta.endpointPoliciesChanged()).as(where).containsExactlyElementsOf(endpointKeys);
    }

    /** Pod group and node group ids: deltas report both as groups created and removed. */
    private static Set<String> allGroupIds(PolicyGraph g) {
        Set<String> out = new TreeSet<>(g.groups().keySet());
        out.addAll(g.nodeGroups().keySet());
        return out;
    }

    private static Set<String> changedNodes(PolicyGraph before, PolicyGraph after) {
        Set<String> names = new TreeSet<>(before.nodes().keySet());
        names.addAll(after.nodes().keySet());
        names.removeIf(n -> java.util.Objects.equals(before.node(n), after.node(n)));
        return names;
    }

    private static Set<String> policyKeys(PolicyGraph g) {
        return g.policies().keySet();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** The plain end state the events describe, for a full compile. */
    private static final class Mirror {
        final TreeMap<ObjectKey, ClusterObject> objects = new TreeMap<>();

        void apply(ClusterEvent event) {
            if (event instanceof ClusterEvent.Upserted u) {
                objects.put(u.key(), u.object());
            } else {
                objects.remove(event.key());
            }
        }

        ClusterSnapshot snapshot() {
            return ClusterSnapshot.of(objects.values());
        }
    }
}
