package dev.weir.agent;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.graph.ClusterEvent;
import dev.weir.k8s.Isolation;
import dev.weir.k8s.Translated;
import dev.weir.k8s.admin.ClusterPolicyTranslator;
import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;

/**
 * The pure translation step: a fabric8 object (as an informer holds it) to the {@link Change} the sync consumes, with
 * the user's mistakes as diagnostics. No I/O and no logging: the callers write log lines from what it returns. The node
 * agent and the controller ({@code dev.weir.controller}) both translate through it, so the controller's verdict on a
 * policy (accepted, with which caveats, or rejected and why) is the agents' own.
 */
public final class ChangeTranslator {

    /**
     * What one object version became. {@code diagnostics}: why an object is left out (a pod without an IP, a node with
     * a malformed address), a policy's errors, or an accepted policy's caveats.
     */
    public record Translation(Change change, List<Diagnostic> diagnostics) {

        public Translation {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    private final ObjectTranslator translator;

    public ChangeTranslator(ObjectTranslator translator) {
        this.translator = translator;
    }

    /**
     * The object as it now is: its model record, or its absence when it does not translate. Isolated: whatever this
     * step throws for one object (ModelTranslator isolates its own translators; this covers a substituted
     * {@link ObjectTranslator} and the step's own reading of metadata) leaves that object out — a policy as rejected,
     * naming it — so that neither an informer event nor a full resync stops at it.
     */
    public Translation upsert(HasMetadata o) {
        try {
            return translate(o);
        } catch (RuntimeException e) {
            ObjectKey key;
            try {
                key = keyOf(o);
            } catch (RuntimeException unkeyed) { // no kind an informer delivers, or no name: not from an informer
                throw e;
            }
            Translated<Object> failed = Isolation.rejected(key, e);
            boolean policy = key.kind() == ObjectKey.Kind.NETWORK_POLICY
                    || key.kind() == ObjectKey.Kind.CLUSTER_NETWORK_POLICY;
            Change leftOut = policy ? rejection(failed, o) : new Change.Event(new ClusterEvent.Deleted(key));
            return new Translation(leftOut, failed.diagnostics());
        }
    }

    private Translation translate(HasMetadata o) {
        if (o instanceof Pod p) {
            return recordOrDelete(translator.pod(p), o);
        } else if (o instanceof Namespace ns) {
            return recordOrDelete(translator.namespace(ns), o);
        } else if (o instanceof Node n) {
            return recordOrDelete(translator.node(n), o);
        } else if (o instanceof NetworkPolicy np) {
            Translated<dev.weir.model.NetworkPolicy> t = translator.networkPolicy(np);
            return new Translation(recordOrRejection(t, o), t.diagnostics());
        } else if (o instanceof ClusterNetworkPolicy cnp) {
            Translated<ClusterPolicy> t = ClusterPolicyTranslator.translate(cnp);
            return new Translation(recordOrRejection(t, o), t.diagnostics());
        }
        throw new IllegalArgumentException("no informer of the agent delivers " + o.getClass().getName());
    }

    /** The object is gone: deletes are keyed like the object's upsert, so they replace a pending one. */
    public Change delete(HasMetadata o) {
        return new Change.Event(new ClusterEvent.Deleted(keyOf(o)));
    }

    /** The object's key; an object of a kind no informer of weir delivers is a programming error. */
    public static ObjectKey keyOf(HasMetadata o) {
        String name = o.getMetadata().getName();
        if (o instanceof Pod) {
            return ObjectKey.pod(namespaceOf(o), name);
        } else if (o instanceof Namespace) {
            return ObjectKey.namespace(name);
        } else if (o instanceof Node) {
            return ObjectKey.node(name);
        } else if (o instanceof NetworkPolicy) {
            return ObjectKey.networkPolicy(namespaceOf(o), name);
        } else if (o instanceof ClusterNetworkPolicy) {
            return ObjectKey.clusterNetworkPolicy(name);
        }
        throw new IllegalArgumentException("no informer of the agent delivers " + o.getClass().getName());
    }

    /** An object that does not translate is left out, as if it were absent. */
    private <T extends ClusterObject> Translation recordOrDelete(Translated<T> t, HasMetadata o) {
        Change change = t.value().<Change>map(v -> new Change.Event(new ClusterEvent.Upserted(v)))
                .orElseGet(() -> delete(o));
        return new Translation(change, t.diagnostics());
    }

    /**
     * An invalid policy is rejected, which leaves it out and reports it once per version: uid and generation
     * (resourceVersion where the API sets none).
     */
    private static <T extends ClusterObject> Change recordOrRejection(Translated<T> t, HasMetadata o) {
        return t.isAccepted() ? new Change.Event(new ClusterEvent.Upserted(t.value().get()), PolicyVersion.of(o))
                : rejection(t, o);
    }

    private static Change rejection(Translated<?> t, HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        String version = m.getGeneration() != null ? "g" + m.getGeneration() : "rv" + m.getResourceVersion();
        return new Change.PolicyRejected(new Rejection(t.object(), m.getUid(), version, t.diagnostics()));
    }

    private static String namespaceOf(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }
}
