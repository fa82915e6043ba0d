package dev.weir.graph;

/** A compiled peer: a reference into the graph's shared pod groups, ipBlock sets or node groups. */
public sealed interface PeerRef {

    /** The id of what it references (a group, set or node group id). */
    String id();

    /** Pods of a {@link PeerGroup}. */
    record Group(String groupId) implements PeerRef {
        @Override
        public String id() {
            return groupId;
        }
    }

    /** Addresses of an {@link IpBlockSet}. */
    record Block(String setId) implements PeerRef {
        @Override
        public String id() {
            return setId;
        }
    }

    /** Addresses of the nodes of a {@link NodeGroup} (a ClusterNetworkPolicy {@code nodes} peer). */
    record Nodes(String groupId) implements PeerRef {
        @Override
        public String id() {
            return groupId;
        }
    }
}
