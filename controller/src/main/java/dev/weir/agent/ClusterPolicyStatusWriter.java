package dev.weir.agent;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.crd.ClusterNetworkPolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@code Accepted} condition of ClusterNetworkPolicies through the status subresource, on its own thread
 * (never fabric8's). It reads the object first and writes only when the condition differs (see
 * {@link AcceptedCondition#merge}); {@code updateStatus} carries the read resourceVersion, so a concurrent writer
 * (another node's agent) makes it fail with 409, and the object is read and compared again. Other failures are
 * retried after 5 s, a few times; a deleted object is dropped.
 */
final class ClusterPolicyStatusWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPolicyStatusWriter.class);
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weir-cnp-status");
        t.setDaemon(true);
        return t;
    });

    ClusterPolicyStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Makes {@code name}'s status carry {@code desired} (asynchronously). */
    void write(String name, Condition desired) {
        executor.execute(() -> attempt(name, desired, 1));
    }

    private void attempt(String name, Condition desired, int attempt) {
        try {
            for (int conflicts = 0; conflicts < ATTEMPTS; conflicts++) {
                ClusterNetworkPolicy current = client.resources(ClusterNetworkPolicy.class).withName(name).get();
                if (current == null || !generationMatches(current, desired)) {
                    return; // deleted, or a newer generation whose own translation will write
                }
                ClusterNetworkPolicyStatus status = current.getStatus() == null ? new ClusterNetworkPolicyStatus()
                        : current.getStatus();
                String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
                Optional<List<Condition>> merged = AcceptedCondition.merge(status.getConditions(), desired, now);
                if (merged.isEmpty()) {
                    return;
                }
                status.setConditions(merged.get());
                current.setStatus(status);
                try {
                    client.resource(current).updateStatus();
                    LOG.debug("ClusterNetworkPolicy {}: {}={} ({})", name, desired.getType(), desired.getStatus(),
                            desired.getMessage());
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    // another writer won: read again and compare
                }
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            if (attempt < ATTEMPTS && !executor.isShutdown()) {
                LOG.warn("could not write the status of ClusterNetworkPolicy {} (attempt {}), retrying in 5s: {}",
                        name, attempt, e.toString());
                executor.schedule(() -> attempt(name, desired, attempt + 1), 5, TimeUnit.SECONDS);
            } else {
                LOG.warn("gave up writing the status of ClusterNetworkPolicy {}: {}", name, e.toString());
            }
        } catch (RuntimeException e) {
            LOG.error("writing the status of ClusterNetworkPolicy {} failed", name, e);
        }
    }

    private static boolean generationMatches(ClusterNetworkPolicy current, Condition desired) {
        Long g = current.getMetadata().getGeneration();
        return g == null || desired.getObservedGeneration() == null || g.equals(desired.getObservedGeneration());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
