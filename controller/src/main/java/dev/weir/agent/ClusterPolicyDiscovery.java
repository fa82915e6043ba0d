package dev.weir.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server whether it serves ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, present only when its
 * CRD is installed), until it gets an answer. Served: the agent watches and enforces it. Not served: one warning, and
 * NetworkPolicy is enforced alone. An unreachable API server is asked again every {@link #RETRY_MILLIS} ms.
 */
final class ClusterPolicyDiscovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPolicyDiscovery.class);

    /** Where ClusterNetworkPolicy lives; served only when its CRD is installed. */
    static final String API_VERSION = "policy.networking.k8s.io/v1alpha2";
    static final String KIND = "ClusterNetworkPolicy";
    static final long RETRY_MILLIS = 5000;

    private final KubernetesClient client;
    private volatile boolean closed;

    ClusterPolicyDiscovery(KubernetesClient client) {
        this.client = client;
    }

    /** Asks in the background (discovery blocks, and an unreachable API server must not hold up the start). */
    void start(Consumer<Boolean> served) {
        CompletableFuture.runAsync(() -> ask(served));
    }

    private void ask(Consumer<Boolean> served) {
        while (!closed) {
            boolean installed;
            try {
                installed = client.supports(API_VERSION, KIND);
            } catch (RuntimeException e) {
                LOG.warn("cannot ask the API server whether it serves {} yet, retrying: {}", KIND, e.toString());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (installed) {
                LOG.info("{} ({}) is served: enforcing it with NetworkPolicy", KIND, API_VERSION);
            } else {
                LOG.warn("{} ({}) is not served by the API server (CRD absent); enforcing NetworkPolicy only", KIND,
                        API_VERSION);
            }
            served.accept(installed);
            return;
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
