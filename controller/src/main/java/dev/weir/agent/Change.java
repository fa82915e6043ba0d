package dev.weir.agent;

import dev.weir.graph.ClusterEvent;
import java.util.Objects;

/**
 * One recorded change of the cluster, already translated: a model {@link ClusterEvent} (the latest state of one object,
 * or its absence), or a policy the translator rejected. Keys carry the kind ({@code ns:dev}, {@code pod:dev/web-1},
 * {@code np:dev/allow-web}, {@code cnp:deny-all}, {@code node:n1}), so "latest per key" collapses a burst of updates to
 * one object into one change, and a rejection replaces the same policy's upsert or delete.
 */
public sealed interface Change {

    String key();

    /** A change the model consumes as it is ({@link dev.weir.graph.IncrementalGraph#apply}). */
    record Event(ClusterEvent event) implements Change {

        public Event {
            Objects.requireNonNull(event, "event");
        }

        @Override
        public String key() {
            return Change.key(event);
        }
    }

    /** A policy the translator rejected: it is left out (as if deleted) and reported once per version. */
    record PolicyRejected(Rejection rejection) implements Change {

        public PolicyRejected {
            Objects.requireNonNull(rejection, "rejection");
        }

        @Override
        public String key() {
            return Change.key(asDelete());
        }

        /** The delete of the rejected policy: what it does to the graph, and so the key it shares. */
        public ClusterEvent asDelete() {
            // A NetworkPolicy has a namespace; a ClusterNetworkPolicy is cluster-scoped.
            return rejection.object().namespace() == null
                    ? new ClusterEvent.ClusterPolicyDeleted(rejection.object().name())
                    : new ClusterEvent.PolicyDeleted(rejection.object().namespace(), rejection.object().name());
        }
    }

    /** The object an event is about, with its kind: an upsert and a delete of one object share the key. */
    static String key(ClusterEvent event) {
        if (event instanceof ClusterEvent.NamespaceUpserted e) {
            return "ns:" + e.namespace().name();
        } else if (event instanceof ClusterEvent.NamespaceDeleted e) {
            return "ns:" + e.name();
        } else if (event instanceof ClusterEvent.PodUpserted e) {
            return "pod:" + e.endpoint().namespace() + "/" + e.endpoint().name();
        } else if (event instanceof ClusterEvent.PodDeleted e) {
            return "pod:" + e.namespace() + "/" + e.name();
        } else if (event instanceof ClusterEvent.PolicyUpserted e) {
            return "np:" + e.policy().namespace() + "/" + e.policy().name();
        } else if (event instanceof ClusterEvent.PolicyDeleted e) {
            return "np:" + e.namespace() + "/" + e.name();
        } else if (event instanceof ClusterEvent.ClusterPolicyUpserted e) {
            return "cnp:" + e.policy().name();
        } else if (event instanceof ClusterEvent.ClusterPolicyDeleted e) {
            return "cnp:" + e.name();
        } else if (event instanceof ClusterEvent.NodeUpserted e) {
            return "node:" + e.node().name();
        } else if (event instanceof ClusterEvent.NodeDeleted e) {
            return "node:" + e.name();
        }
        throw new AssertionError(event);
    }
}
