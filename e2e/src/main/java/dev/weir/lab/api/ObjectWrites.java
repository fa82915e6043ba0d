package dev.weir.lab.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.net.HttpURLConnection;

/**
 * Whole-object writes to the lab's API server that others write to as well: {@code weir controller} annotates every
 * NetworkPolicy ({@code weir.dev/enforced}) and sets the status of every ClusterNetworkPolicy, so a replace that read
 * the object's resourceVersion a moment before can meet a 409 Conflict. A user's tool retries then (kubectl's
 * replace says "the object has been modified"); so does this.
 */
public final class ObjectWrites {

    /** Enough for a controller that writes each object at most once per change. */
    static final int ATTEMPTS = 5;

    private ObjectWrites() {
    }

    /**
     * Creates {@code item}, or replaces the object of its name with it (whatever resourceVersion it carries is
     * dropped: the latest one is read on each attempt), retrying a 409 Conflict.
     */
    public static <T extends HasMetadata> T createOrReplace(KubernetesClient client, T item) {
        item.getMetadata().setResourceVersion(null);
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resource(item).createOr(NonDeletingOperation::update);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
                item.getMetadata().setResourceVersion(null);
            }
        }
    }
}
