package dev.weir.graph;

import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.admin.ClusterPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One change to the cluster, as an informer reports it: an upsert carries the new model record, a delete only the key.
 * {@link IncrementalGraph#apply} consumes them.
 */
public sealed interface ClusterEvent {

    record PodUpserted(Endpoint endpoint) implements ClusterEvent {
        public PodUpserted {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    record PodDeleted(String namespace, String name) implements ClusterEvent {
        public PodDeleted {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }

        public String key() {
            return namespace + "/" + name;
        }
    }

    record NamespaceUpserted(Namespace namespace) implements ClusterEvent {
        public NamespaceUpserted {
            Objects.requireNonNull(namespace, "namespace");
        }
    }

    record NamespaceDeleted(String name) implements ClusterEvent {
        public NamespaceDeleted {
            Objects.requireNonNull(name, "name");
        }
    }

    record PolicyUpserted(NetworkPolicy policy) implements ClusterEvent {
        public PolicyUpserted {
            Objects.requireNonNull(policy, "policy");
        }
    }

    record PolicyDeleted(String namespace, String name) implements ClusterEvent {
        public PolicyDeleted {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }

        public String key() {
            return namespace + "/" + name;
        }
    }

    /** A ClusterNetworkPolicy created or changed (cluster-scoped: the name is the key). */
    record ClusterPolicyUpserted(ClusterPolicy policy) implements ClusterEvent {
        public ClusterPolicyUpserted {
            Objects.requireNonNull(policy, "policy");
        }
    }

    record ClusterPolicyDeleted(String name) implements ClusterEvent {
        public ClusterPolicyDeleted {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A Node created or changed (labels or {@code status.addresses}); cluster-scoped, the name is the key. */
    record NodeUpserted(Node node) implements ClusterEvent {
        public NodeUpserted {
            Objects.requireNonNull(node, "node");
        }
    }

    record NodeDeleted(String name) implements ClusterEvent {
        public NodeDeleted {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The upserts that build {@code snapshot} from an empty graph: namespaces, then nodes, then pods, then policies,
     * then cluster policies.
     */
    static List<ClusterEvent> upsertsOf(ClusterSnapshot snapshot) {
        List<ClusterEvent> out = new ArrayList<>();
        snapshot.namespaces().forEach(n -> out.add(new NamespaceUpserted(n)));
        snapshot.nodes().forEach(n -> out.add(new NodeUpserted(n)));
        snapshot.endpoints().forEach(e -> out.add(new PodUpserted(e)));
        snapshot.policies().forEach(p -> out.add(new PolicyUpserted(p)));
        snapshot.clusterPolicies().forEach(p -> out.add(new ClusterPolicyUpserted(p)));
        return out;
    }
}
