package dev.weir.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an informer event turns into, on fabric8's threads: its translation recorded as the object's latest pending
 * change (then a poke of the sync trigger), and a log line for an object left out. Nothing here blocks; the sync
 * thread does the rest. (The {@code Accepted} condition of ClusterNetworkPolicies and the rejection Events are the
 * controller's, {@code dev.weir.controller}: one writer for the cluster, not one per node.)
 */
final class ChangeRecorder implements WatchedInformer.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeRecorder.class);

    private final ChangeTranslator translator;
    private final PendingChanges pending;
    private final SyncTrigger trigger;

    ChangeRecorder(ChangeTranslator translator, PendingChanges pending, SyncTrigger trigger) {
        this.translator = translator;
        this.pending = pending;
        this.trigger = trigger;
    }

    @Override
    public void upserted(HasMetadata object) {
        try {
            ChangeTranslator.Translation t = translator.upsert(object);
            record(t.change());
            if (t.change() instanceof Change.Event && !t.diagnostics().isEmpty()) {
                // Rejected policies are logged once per version by the sync; these are left out or have caveats.
                if (object instanceof Node) {
                    LOG.warn("node {} left out (nodes peers do not match its addresses): {}",
                            object.getMetadata().getName(), t.diagnostics());
                } else {
                    LOG.debug("{}: {}", t.change().key(), t.diagnostics());
                }
            }
        } catch (RuntimeException e) {
            // A translator bug must not kill fabric8's dispatcher thread; the next full resync retries the object.
            LOG.error("could not translate {}", object, e);
        }
    }

    @Override
    public void deleted(HasMetadata object) {
        record(translator.delete(object));
    }

    private void record(Change change) {
        pending.record(change);
        trigger.poke();
    }
}
