package dev.weir.controller;

import dev.weir.agent.ChangeTranslator;
import dev.weir.agent.SyncTrigger;
import dev.weir.agent.WatchedInformer;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the controller's informer events leave for its reconcile thread, on fabric8's threads: the latest version of
 * each changed object (or its absence) — policies, pods, namespaces and nodes by their key, the nodes' reports by
 * name — then a poke of the one-slot trigger. Nothing here blocks or translates; a burst of updates to one object is
 * one entry.
 */
final class PendingObjects implements WatchedInformer.Handler {

    private final SyncTrigger trigger;
    private final Map<ObjectKey, Optional<HasMetadata>> objects = new LinkedHashMap<>();
    private final Map<String, Optional<HasMetadata>> reports = new LinkedHashMap<>();

    PendingObjects(SyncTrigger trigger) {
        this.trigger = trigger;
    }

    @Override
    public void upserted(HasMetadata object) {
        record(object, Optional.of(object));
    }

    @Override
    public void deleted(HasMetadata object) {
        record(object, Optional.empty());
    }

    private void record(HasMetadata object, Optional<HasMetadata> latest) {
        synchronized (this) {
            if (object instanceof NetworkPolicy || object instanceof ClusterNetworkPolicy || object instanceof Pod
                    || object instanceof Namespace || object instanceof Node) {
                objects.put(ChangeTranslator.keyOf(object), latest);
            } else {
                reports.put(object.getMetadata().getName(), latest); // a node's report, named after its node
            }
        }
        trigger.poke();
    }

    /** What changed since the last drain, in arrival order of the keys. */
    record Drained(Map<ObjectKey, Optional<HasMetadata>> objects, Map<String, Optional<HasMetadata>> reports) {

        boolean isEmpty() {
            return objects.isEmpty() && reports.isEmpty();
        }
    }

    synchronized Drained drain() {
        Drained out = new Drained(new LinkedHashMap<>(objects), new LinkedHashMap<>(reports));
        objects.clear();
        reports.clear();
        return out;
    }
}
