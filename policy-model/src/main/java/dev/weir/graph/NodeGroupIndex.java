package dev.weir.graph;

import dev.weir.model.LabelSelector;
import dev.weir.model.Node;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The live node groups of an {@link IncrementalGraph}, reference counted; members are node names. A node change visits
 * every live group: there is one per distinct node selector in the ClusterNetworkPolicies, a handful, so no label index
 * pays for itself (unlike pod groups, see {@link GroupIndex}). Single-threaded, owned by its graph.
 */
final class NodeGroupIndex {

    private final Supplier<Collection<Node>> nodes;
    private final LiveGroups<LabelSelector, NodeGroup> live;

    NodeGroupIndex(Supplier<Collection<Node>> nodes, LiveGroups.Sink sink) {
        this.nodes = nodes;
        this.live = new LiveGroups<>("node group", NodeGroup::new, sink);
    }

    boolean contains(String id) {
        return live.get(id) != null;
    }

    Collection<LiveGroup<LabelSelector, NodeGroup>> all() {
        return live.all();
    }

    /** Takes a reference on the group, creating and filling it when new; returns true when it was created. */
    boolean acquire(String id, LabelSelector selector) {
        LiveGroup<LabelSelector, NodeGroup> g = live.acquire(id, selector);
        if (g == null) {
            return false;
        }
        for (Node n : nodes.get()) {
            if (selector.matches(n.labels())) {
                live.add(g, n.name());
            }
        }
        return true;
    }

    /** Drops a reference; the last one removes the group (reporting every member removed). True when removed. */
    boolean release(String id) {
        return live.release(id) != null;
    }

    /**
     * A node appeared, changed or disappeared ({@code before}/{@code after} null when absent): a label change moves it
     * in or out of groups, an address change of a member is a readdress.
     */
    void nodeChanged(String name, Node before, Node after) {
        boolean readdressed = before != null && after != null && !before.addresses().equals(after.addresses());
        for (LiveGroup<LabelSelector, NodeGroup> g : live.all()) {
            boolean was = before != null && g.selector.matches(before.labels());
            boolean is = after != null && g.selector.matches(after.labels());
            live.changed(g, name, was, is, readdressed);
        }
    }
}
