package dev.weir.graph;

import dev.weir.model.LabelSelector;
import dev.weir.model.Node;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The live node groups of an {@link IncrementalGraph}, reference counted. A node change visits every live group: there
 * is one per distinct node selector in the ClusterNetworkPolicies, a handful, so no label index pays for itself
 * (unlike pod groups, see {@link GroupIndex}). Single-threaded, owned by its graph.
 */
final class NodeGroupIndex {

    /** Receives every membership change as it happens; members are node names. */
    interface Sink {
        void added(String groupId, String node);

        void removed(String groupId, String node);

        void readdressed(String groupId, String node);
    }

    /** A node group with its current members. */
    static final class Live {
        final String id;
        final LabelSelector selector;
        final TreeSet<String> members = new TreeSet<>();
        int references;
        NodeGroup snapshot; // null when members changed since the last snapshot

        Live(String id, LabelSelector selector) {
            this.id = id;
            this.selector = selector;
        }

        NodeGroup snapshot() {
            if (snapshot == null) {
                snapshot = new NodeGroup(selector, List.copyOf(members));
            }
            return snapshot;
        }
    }

    private final Supplier<Collection<Node>> nodes;
    private final Sink sink;
    private final Map<String, Live> byId = new HashMap<>();

    NodeGroupIndex(Supplier<Collection<Node>> nodes, Sink sink) {
        this.nodes = nodes;
        this.sink = sink;
    }

    boolean contains(String id) {
        return byId.containsKey(id);
    }

    Collection<Live> all() {
        return byId.values();
    }

    /** Takes a reference on the group, creating and filling it when new; returns true when it was created. */
    boolean acquire(String id, LabelSelector selector) {
        Live g = byId.get(id);
        if (g != null) {
            g.references++;
            return false;
        }
        g = new Live(id, selector);
        g.references = 1;
        byId.put(id, g);
        for (Node n : nodes.get()) {
            if (selector.matches(n.labels())) {
                g.members.add(n.name());
                sink.added(id, n.name());
            }
        }
        return true;
    }

    /** Drops a reference; the last one removes the group (reporting every member removed). True when removed. */
    boolean release(String id) {
        Live g = Objects.requireNonNull(byId.get(id), () -> "no live node group " + id);
        if (--g.references > 0) {
            return false;
        }
        byId.remove(id);
        for (String member : g.members) {
            sink.removed(id, member);
        }
        return true;
    }

    /**
     * A node appeared, changed or disappeared ({@code before}/{@code after} null when absent): a label change moves it
     * in or out of groups, an address change of a member is a readdress.
     */
    void nodeChanged(String name, Node before, Node after) {
        for (Live g : byId.values()) {
            boolean was = before != null && g.selector.matches(before.labels());
            boolean is = after != null && g.selector.matches(after.labels());
            if (was && !is) {
                g.members.remove(name);
                g.snapshot = null;
                sink.removed(g.id, name);
            } else if (!was && is) {
                g.members.add(name);
                g.snapshot = null;
                sink.added(g.id, name);
            } else if (was && !before.addresses().equals(after.addresses())) {
                sink.readdressed(g.id, name);
            }
        }
    }
}
