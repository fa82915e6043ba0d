package dev.weir.model;

/**
 * A model record of one object of the cluster that policy reads: a pod ({@link Endpoint}), a {@link Namespace}, a
 * {@link Node}, a {@link NetworkPolicy} or a {@link ClusterPolicy}. An upsert event carries one; its {@link #key()}
 * is what a delete of the same object carries.
 */
public sealed interface ClusterObject permits Endpoint, Namespace, Node, NetworkPolicy, ClusterPolicy {

    ObjectKey key();
}
