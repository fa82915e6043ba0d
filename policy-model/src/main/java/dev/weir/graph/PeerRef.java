package dev.weir.graph;

/** A compiled peer: a reference into the graph's shared pod groups or ipBlock sets. */
public sealed interface PeerRef {

    /** Pods of a {@link PeerGroup}. */
    record Group(String groupId) implements PeerRef {
    }

    /** Addresses of an {@link IpBlockSet}. */
    record Block(String setId) implements PeerRef {
    }
}
