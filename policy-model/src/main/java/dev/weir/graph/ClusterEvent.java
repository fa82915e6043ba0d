package dev.weir.graph;

import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ObjectKey;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One change to the cluster, as an informer reports it: an upsert carries the new model record, a delete only its key.
 * {@link IncrementalGraph#apply} consumes them.
 */
public sealed interface ClusterEvent {

    /** The object this event is about: an upsert and a delete of one object share it. */
    ObjectKey key();

    /** An object created or changed. */
    record Upserted(ClusterObject object) implements ClusterEvent {
        public Upserted {
            Objects.requireNonNull(object, "object");
        }

        @Override
        public ObjectKey key() {
            return object.key();
        }
    }

    /** An object deleted (or left out, as a rejected policy is). */
    record Deleted(ObjectKey key) implements ClusterEvent {
        public Deleted {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * The upserts that build {@code snapshot} from an empty graph: namespaces, then nodes, then pods, then policies,
     * then cluster policies.
     */
    static List<ClusterEvent> upsertsOf(ClusterSnapshot snapshot) {
        return Stream.of(snapshot.namespaces(), snapshot.nodes(), snapshot.endpoints(), snapshot.policies(),
                snapshot.clusterPolicies())
                .flatMap(List::stream)
                .<ClusterEvent>map(Upserted::new)
                .toList();
    }
}
