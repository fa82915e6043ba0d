package dev.weir.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/** The agent's side of {@link MalformedObjectsFuzzTest}: what its informers would hold, and its translation. */
final class AgentFuzzing {

    private static final ChangeTranslator TRANSLATOR = new ChangeTranslator(ObjectTranslator.standard());

    private AgentFuzzing() {
    }

    /**
     * The object as the agent's informer cache would hold it (deserialized into its fabric8 type, then trimmed), or
     * null when no informer could deliver it: without a name, or when it cannot be deserialized — a real API server
     * never stores such an object (wrong types fail its decoding), and fabric8 would fail the watch event.
     */
    static HasMetadata asInformerObject(Map<String, Object> tree) {
        Object kind = tree.get("kind");
        if (!(tree.get("metadata") instanceof Map<?, ?> meta) || !(meta.get("name") instanceof String name)
                || name.isEmpty()) {
            return null; // the API server requires a name, and an informer keys its cache by it
        }
        try {
            if ("Pod".equals(kind)) {
                return ObjectTrimmer.pod(Serialization.jsonMapper().convertValue(tree, Pod.class));
            } else if ("Namespace".equals(kind)) {
                return ObjectTrimmer.namespace(Serialization.jsonMapper().convertValue(tree, Namespace.class));
            } else if ("Node".equals(kind)) {
                return ObjectTrimmer.node(Serialization.jsonMapper().convertValue(tree, Node.class));
            } else if ("NetworkPolicy".equals(kind)) {
                return ObjectTrimmer.networkPolicy(Serialization.jsonMapper().convertValue(tree, NetworkPolicy.class));
            } else if ("ClusterNetworkPolicy".equals(kind)) {
                return ObjectTrimmer.clusterPolicy(Serialization.jsonMapper().convertValue(tree,
                        dev.weir.crd.ClusterNetworkPolicy.class));
            }
            return null;
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            return null;
        }
    }

    /** The agent's translation step, as its informer handlers and its full resync run it. */
    static Change translate(HasMetadata o) {
        return TRANSLATOR.upsert(o).change();
    }
}
