package dev.weir.graph;

import dev.weir.model.LabelSelector;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The nodes a ClusterNetworkPolicy {@code nodes} peer selects: one per canonical node selector, shared by every rule
 * that writes it. {@code members} are node names, sorted and distinct; the peer matches the addresses of those nodes
 * ({@link PolicyGraph#nodeGroupHolds}). Membership is by labels alone: a selected node without addresses is a member
 * that matches no packet.
 */
public record NodeGroup(LabelSelector selector, List<String> members) {

    public NodeGroup {
        Objects.requireNonNull(selector, "selector");
        members = SortedKeys.of(members);
    }

    /** The group's id for a node selector: {@code h} + a hash of {@link #canonical(LabelSelector)}. */
    public static String idOf(LabelSelector selector) {
        return Ids.hash("h", canonical(selector));
    }

    /** Stable text identifying the group: {@code nodes:node-role.kubernetes.io/control-plane}. */
    public static String canonical(LabelSelector selector) {
        return "nodes:" + selector.canonical();
    }

    public String id() {
        return idOf(selector);
    }

    public String canonical() {
        return canonical(selector);
    }

    /** Whether the node with this name is a member: O(log n) over the sorted members. */
    public boolean contains(String nodeName) {
        return Collections.binarySearch(members, nodeName) >= 0;
    }
}
