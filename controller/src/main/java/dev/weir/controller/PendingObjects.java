package dev.weir.controller;

import dev.weir.agent.ChangeTranslator;
import dev.weir.agent.SyncTrigger;
import dev.weir.agent.WatchedInformer;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the controller's informer events leave for its reconcile thread, on fabric8's threads: the latest version of
 * each changed policy (or its absence), and whether anything else it reads changed (a Node; a node's report), then a
 * poke of the one-slot trigger. Nothing here blocks or translates; a burst of updates to one policy is one entry.
 */
final class PendingObjects implements WatchedInformer.Handler {

    private final SyncTrigger trigger;
    private final Map<ObjectKey, Optional<HasMetadata>> policies = new LinkedHashMap<>();
    private boolean othersChanged;

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
            if (object instanceof NetworkPolicy || object instanceof ClusterNetworkPolicy) {
                policies.put(ChangeTranslator.keyOf(object), latest);
            } else {
                othersChanged = true;
            }
        }
        trigger.poke();
    }

    /** What changed since the last drain. */
    record Drained(Map<ObjectKey, Optional<HasMetadata>> policies, boolean othersChanged) {
    }

    synchronized Drained drain() {
        Drained out = new Drained(new LinkedHashMap<>(policies), othersChanged);
        policies.clear();
        othersChanged = false;
        return out;
    }
}
