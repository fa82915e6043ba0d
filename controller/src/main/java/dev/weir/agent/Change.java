package dev.weir.agent;

import dev.weir.graph.ClusterEvent;
import dev.weir.model.ObjectKey;
import java.util.Objects;

/**
 * One recorded change of the cluster, already translated: a model {@link ClusterEvent} (the latest state of one object,
 * or its absence), or a policy the translator rejected. Keyed by the object's {@link ObjectKey}, so "latest per key"
 * collapses a burst of updates to one object into one change, and a rejection replaces the same policy's upsert or
 * delete.
 */
public sealed interface Change {

    ObjectKey key();

    /**
     * A change the model consumes as it is ({@link dev.weir.graph.IncrementalGraph#apply}). {@code version}: for the
     * upsert of a policy, the object version it was translated from (what the node report lists); null otherwise.
     */
    record Event(ClusterEvent event, PolicyVersion version) implements Change {

        public Event {
            Objects.requireNonNull(event, "event");
        }

        /** A change without an object version: anything but a policy upsert. */
        public Event(ClusterEvent event) {
            this(event, null);
        }

        @Override
        public ObjectKey key() {
            return event.key();
        }
    }

    /** A policy the translator rejected: it is left out (as if deleted) and reported once per version. */
    record PolicyRejected(Rejection rejection) implements Change {

        public PolicyRejected {
            Objects.requireNonNull(rejection, "rejection");
        }

        @Override
        public ObjectKey key() {
            return rejection.object();
        }

        /** The delete of the rejected policy: what it does to the graph. */
        public ClusterEvent asDelete() {
            return new ClusterEvent.Deleted(key());
        }
    }
}
