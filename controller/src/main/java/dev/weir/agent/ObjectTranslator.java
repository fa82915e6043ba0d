package dev.weir.agent;

import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.Translated;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * fabric8 objects to model records, with user mistakes as diagnostics. {@link ChangeTranslator} is its only caller;
 * {@link #standard()} is {@link ModelTranslator}, tests may substitute their own.
 */
public interface ObjectTranslator {

    Translated<Namespace> namespace(io.fabric8.kubernetes.api.model.Namespace namespace);

    Translated<Endpoint> pod(Pod pod);

    Translated<NetworkPolicy> networkPolicy(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy);

    Translated<Node> node(io.fabric8.kubernetes.api.model.Node node);

    static ObjectTranslator standard() {
        return new ObjectTranslator() {
            @Override
            public Translated<Namespace> namespace(io.fabric8.kubernetes.api.model.Namespace namespace) {
                return ModelTranslator.namespace(namespace);
            }

            @Override
            public Translated<Endpoint> pod(Pod pod) {
                return ModelTranslator.pod(pod);
            }

            @Override
            public Translated<NetworkPolicy> networkPolicy(
                    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy) {
                return ModelTranslator.networkPolicy(policy);
            }

            @Override
            public Translated<Node> node(io.fabric8.kubernetes.api.model.Node node) {
                return ModelTranslator.node(node);
            }
        };
    }
}
