package dev.weir.graph;

import dev.weir.model.LabelSelector;

/**
 * A compiled peer: a reference into the graph's shared pod groups, ipBlock sets or node groups, by id, with the
 * content that defines what it references (so the graph can create the group when the first policy names it).
 */
public sealed interface PeerRef {

    /** The id of what it references (a group, set or node group id). */
    String id();

    /** Pods of a {@link PeerGroup}. */
    record Group(String id, GroupSelector selector) implements PeerRef {
        public Group(GroupSelector selector) {
            this(selector.id(), selector);
        }
    }

    /** Addresses of an {@link IpBlockSet}. */
    record Block(String id, IpBlockSet set) implements PeerRef {
        public Block(IpBlockSet set) {
            this(set.id(), set);
        }
    }

    /** Addresses of the nodes of a {@link NodeGroup} (a ClusterNetworkPolicy {@code nodes} peer). */
    record Nodes(String id, LabelSelector selector) implements PeerRef {
        public Nodes(LabelSelector selector) {
            this(NodeGroup.idOf(selector), selector);
        }
    }
}
