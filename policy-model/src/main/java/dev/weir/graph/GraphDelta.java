package dev.weir.graph;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one {@link ClusterEvent} changed in the graph, split the way a dataplane consumes it.
 *
 * <p><b>Membership</b>: groups whose member address sets changed (an ipset update, no rule change): endpoint keys
 * added and removed, and members that stayed but changed address or declared ports ({@code readdressed}). For node
 * groups ({@link NodeGroup}) the members are node names, and a member is readdressed when its addresses changed. A created
 * group lists all its members as added; a removed group lists all as removed, so replaying the changes over the old
 * membership always gives the new one.
 *
 * <p><b>Structure</b>: policies added, removed or changed (by {@link CompiledPolicy#key}: NetworkPolicies as
 * {@code namespace/name}, cluster policies as {@code ClusterNetworkPolicy/name}); endpoints whose ingress/egress
 * policy lists changed; groups (pod and node groups) and ipBlock sets created or removed. Plus the endpoint, namespace
 * and node records that changed at all (a pod's event also changes the pods claiming one of its addresses:
 * docs/model.md, "One address, one pod"). Every list is sorted and distinct; {@code membership} iterates in group id
 * order.
 */
public record GraphDelta(Map<String, MembershipChange> membership, List<String> policiesAdded,
        List<String> policiesRemoved, List<String> policiesChanged, List<String> endpointPoliciesChanged,
        List<String> groupsCreated, List<String> groupsRemoved, List<String> ipBlockSetsCreated,
        List<String> ipBlockSetsRemoved, List<String> endpointsChanged, List<String> namespacesChanged,
        List<String> nodesChanged) {

    public GraphDelta {
        membership = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(membership));
        policiesAdded = sorted(policiesAdded);
        policiesRemoved = sorted(policiesRemoved);
        policiesChanged = sorted(policiesChanged);
        endpointPoliciesChanged = sorted(endpointPoliciesChanged);
        groupsCreated = sorted(groupsCreated);
        groupsRemoved = sorted(groupsRemoved);
        ipBlockSetsCreated = sorted(ipBlockSetsCreated);
        ipBlockSetsRemoved = sorted(ipBlockSetsRemoved);
        endpointsChanged = sorted(endpointsChanged);
        namespacesChanged = sorted(namespacesChanged);
        nodesChanged = sorted(nodesChanged);
    }

    public static GraphDelta empty() {
        return new GraphDelta(Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of());
    }

    /** True when the event changed nothing at all (an idempotent upsert, a delete of something unknown). */
    public boolean isEmpty() {
        return !membershipChanged() && !structureChanged() && endpointsChanged.isEmpty()
                && namespacesChanged.isEmpty() && nodesChanged.isEmpty();
    }

    /** True when some group's member addresses changed. */
    public boolean membershipChanged() {
        return !membership.isEmpty();
    }

    /** True when rules, policy lists or the set of groups and ipBlock sets changed. */
    public boolean structureChanged() {
        return !policiesAdded.isEmpty() || !policiesRemoved.isEmpty() || !policiesChanged.isEmpty()
                || !endpointPoliciesChanged.isEmpty() || !groupsCreated.isEmpty() || !groupsRemoved.isEmpty()
                || !ipBlockSetsCreated.isEmpty() || !ipBlockSetsRemoved.isEmpty();
    }

    private static List<String> sorted(List<String> keys) {
        return List.copyOf(new TreeSet<>(keys));
    }

    /** One group's member changes. */
    public record MembershipChange(String groupId, List<String> added, List<String> removed,
            List<String> readdressed) {

        public MembershipChange {
            added = sorted(added);
            removed = sorted(removed);
            readdressed = sorted(readdressed);
        }
    }
}
