package dev.weir.agent;

import dev.weir.graph.ClusterEvent;
import dev.weir.k8s.Translated;
import dev.weir.k8s.admin.ClusterPolicyTranslator;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/** The agent's side of {@link MalformedObjectsFuzzTest}: what its informers would hold, and its translation. */
final class AgentFuzzing {

    private AgentFuzzing() {
    }

    /**
     * The object as the agent's informer cache would hold it (deserialized into its fabric8 type, then trimmed), or
     * null when it cannot be deserialized — a real API server never stores such an object (wrong types fail its
     * decoding), and fabric8 would fail the watch event, not hand it to weir.
     */
    static HasMetadata asInformerObject(Map<String, Object> tree) {
        Object kind = tree.get("kind");
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

    /** The agent's translation of one object (ClusterWatch's handlers). */
    static Change translate(HasMetadata o) {
        ObjectTranslator t = ObjectTranslator.standard();
        if (o instanceof Pod p) {
            return t.pod(p).value().<Change>map(v -> new Change.Event(new ClusterEvent.Upserted(v)))
                    .orElse(new Change.Event(new ClusterEvent.Deleted(ObjectKey.namespace("none"))));
        } else if (o instanceof Namespace ns) {
            return t.namespace(ns).value().<Change>map(v -> new Change.Event(new ClusterEvent.Upserted(v)))
                    .orElse(new Change.Event(new ClusterEvent.Deleted(ObjectKey.namespace("none"))));
        } else if (o instanceof Node n) {
            return t.node(n).value().<Change>map(v -> new Change.Event(new ClusterEvent.Upserted(v)))
                    .orElse(new Change.Event(new ClusterEvent.Deleted(ObjectKey.namespace("none"))));
        } else if (o instanceof NetworkPolicy np) {
            Translated<dev.weir.model.NetworkPolicy> tr = t.networkPolicy(np);
            return tr.value().<Change>map(v -> new Change.Event(new ClusterEvent.Upserted(v)))
                    .orElseGet(() -> new Change.PolicyRejected(new Rejection(tr.object(), "u", "g1",
                            tr.diagnostics())));
        }
        Translated<dev.weir.model.ClusterPolicy> tr =
                ClusterPolicyTranslator.translate((dev.weir.crd.ClusterNetworkPolicy) o);
        return tr.value().<Change>map(v -> new Change.Event(new ClusterEvent.Upserted(v)))
                .orElseGet(() -> new Change.PolicyRejected(new Rejection(tr.object(), "u", "g1", tr.diagnostics())));
    }
}
