package dev.weir.controller;

import dev.weir.agent.TrimmedItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the controller's informers keep the policies: whole (their annotations and status are what the writes are
 * compared with), less what nothing of weir reads and kubectl makes the bulk of — the managed fields and
 * {@value #LAST_APPLIED}, a second copy of the object as JSON: ≈ 60% of a NetworkPolicy that {@code kubectl apply}
 * created (4.8 KB as fabric8 objects, 231 MiB at 50,000; docs/benchmarks.md, "The controller at Kubernetes' limits").
 * Trimmed <em>in place</em>: the informer hands the very object it stored to its handlers, so the cache and the
 * {@link ClusterView} share one trimmed instance (a trimmed copy would make two). Safe because the object is the
 * informer's own, decoded from the response; the writes never send these fields back (a merge patch of one
 * annotation; a status update, which the API server takes the status of and nothing else).
 */
final class PolicyStore {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private PolicyStore() {
    }

    /** An informer's store of policies, each trimmed in place as it is put ({@link #trim}). */
    static <T extends HasMetadata> ItemStore<T> create() {
        return TrimmedItemStore.of(o -> {
            trim(o);
            return o;
        });
    }

    /** Drops the managed fields and the last-applied copy from {@code o} itself. */
    static void trim(HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        if (m == null) {
            return;
        }
        m.setManagedFields(null);
        Map<String, String> annotations = m.getAnnotations();
        if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
            Map<String, String> kept = new LinkedHashMap<>(annotations); // the map may be unmodifiable
            kept.remove(LAST_APPLIED);
            m.setAnnotations(kept);
        }
    }
}
