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
     * null when no informer could deliver it ({@link #asApiObject}).
     */
    static HasMetadata asInformerObject(Map<String, Object> tree) {
        HasMetadata o = asApiObject(tree);
        if (o instanceof Pod p) {
            return ObjectTrimmer.pod(p);
        } else if (o instanceof Namespace ns) {
            return ObjectTrimmer.namespace(ns);
        } else if (o instanceof Node n) {
            return ObjectTrimmer.node(n);
        } else if (o instanceof NetworkPolicy np) {
            return ObjectTrimmer.networkPolicy(np);
        } else if (o instanceof dev.weir.crd.ClusterNetworkPolicy cnp) {
            return ObjectTrimmer.clusterPolicy(cnp);
        }
        return null;
    }

    /**
     * The object in its fabric8 type, or null when no informer could deliver it: without a name, or when it cannot be
     * deserialized — a real API server never stores such an object (wrong types fail its decoding), and fabric8 would
     * fail the watch event.
     */
    static HasMetadata asApiObject(Map<String, Object> tree) {
        if (!(tree.get("metadata") instanceof Map<?, ?> meta) || !(meta.get("name") instanceof String name)
                || name.isEmpty()) {
            return null; // the API server requires a name, and an informer keys its cache by it
        }
        Class<? extends HasMetadata> type = switch (String.valueOf(tree.get("kind"))) {
            case "Pod" -> Pod.class;
            case "Namespace" -> Namespace.class;
            case "Node" -> Node.class;
            case "NetworkPolicy" -> NetworkPolicy.class;
            case "ClusterNetworkPolicy" -> dev.weir.crd.ClusterNetworkPolicy.class;
            default -> null;
        };
        try {
            return type == null ? null : Serialization.jsonMapper().convertValue(tree, type);
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            return null;
        }
    }

    /** The agent's translation step, as its informer handlers and its full resync run it. */
    static Change translate(HasMetadata o) {
        return TRANSLATOR.upsert(o).change();
    }
}
