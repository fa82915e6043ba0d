package dev.weir.agent;

import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.admin.ClusterPolicy;
import java.util.Objects;

/**
 * One recorded change of the cluster, already translated: the latest state of one object (or its absence). Keys carry
 * the kind ({@code ns:dev}, {@code pod:dev/web-1}, {@code np:dev/allow-web}, {@code node:n1}), so "latest per key"
 * collapses a burst of updates to one object into one change.
 */
public sealed interface Change {

    String key();

    static String namespaceKey(String name) {
        return "ns:" + name;
    }

    static String podKey(String namespace, String name) {
        return "pod:" + namespace + "/" + name;
    }

    static String policyKey(String namespace, String name) {
        return "np:" + namespace + "/" + name;
    }

    static String clusterPolicyKey(String name) {
        return "cnp:" + name;
    }

    static String nodeKey(String name) {
        return "node:" + name;
    }

    record NodeUpsert(Node node) implements Change {
        @Override
        public String key() {
            return nodeKey(node.name());
        }
    }

    record NodeDelete(String name) implements Change {
        @Override
        public String key() {
            return nodeKey(name);
        }
    }

    record NamespaceUpsert(Namespace namespace) implements Change {
        @Override
        public String key() {
            return namespaceKey(namespace.name());
        }
    }

    record NamespaceDelete(String name) implements Change {
        @Override
        public String key() {
            return namespaceKey(name);
        }
    }

    record PodUpsert(Endpoint endpoint) implements Change {
        @Override
        public String key() {
            return podKey(endpoint.namespace(), endpoint.name());
        }
    }

    record PodDelete(String namespace, String name) implements Change {
        @Override
        public String key() {
            return podKey(namespace, name);
        }
    }

    record PolicyUpsert(NetworkPolicy policy) implements Change {
        @Override
        public String key() {
            return policyKey(policy.namespace(), policy.name());
        }
    }

    record PolicyDelete(String namespace, String name) implements Change {
        @Override
        public String key() {
            return policyKey(namespace, name);
        }
    }

    record ClusterPolicyUpsert(ClusterPolicy policy) implements Change {
        @Override
        public String key() {
            return clusterPolicyKey(policy.name());
        }
    }

    record ClusterPolicyDelete(String name) implements Change {
        @Override
        public String key() {
            return clusterPolicyKey(name);
        }
    }

    /** A policy the translator rejected: it is left out (as if deleted) and reported once per version. */
    record PolicyRejected(Rejection rejection) implements Change {

        public PolicyRejected {
            Objects.requireNonNull(rejection, "rejection");
        }

        @Override
        public String key() {
            // A NetworkPolicy has a namespace; a ClusterNetworkPolicy is cluster-scoped.
            return rejection.object().namespace() == null ? clusterPolicyKey(rejection.object().name())
                    : policyKey(rejection.object().namespace(), rejection.object().name());
        }
    }
}
