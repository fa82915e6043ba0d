package dev.weir.status;

import dev.weir.model.ObjectKey;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which nodes should enforce a policy. An agent lists in its report only the policies that have rules in its kernel —
 * those selecting at least one of its node's pods — so a policy selecting pods on two of five nodes is fully enforced
 * when those two enforce it: {@link #of} with the nodes from the pods ({@link GraphSpan}). {@link #ALL_NODES} expects
 * every node, for a reader that does not know the pods.
 */
@FunctionalInterface
public interface Span {

    /** Every node. */
    Span ALL_NODES = (policy, nodes) -> nodes;

    /** The nodes among {@code nodes} (those the cluster has) that should enforce {@code policy}. */
    SortedSet<String> nodesFor(ObjectKey policy, SortedSet<String> nodes);

    /** The nodes given per policy (a policy not in the map: none), among those the cluster has. */
    static Span of(Map<ObjectKey, ? extends Set<String>> span) {
        Map<ObjectKey, Set<String>> copy = Map.copyOf(span);
        return (policy, nodes) -> {
            SortedSet<String> out = new TreeSet<>(copy.getOrDefault(policy, Set.of()));
            out.retainAll(nodes);
            return out;
        };
    }
}
