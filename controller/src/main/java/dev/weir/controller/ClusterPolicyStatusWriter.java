package dev.weir.controller;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.crd.ClusterNetworkPolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;

/**
 * Writes the conditions weir owns ({@code Accepted}, {@code Enforced}) into a ClusterNetworkPolicy's
 * {@code status.conditions} through the status subresource, on the reconcile thread. It starts from the object as the
 * informer cached it and writes only when {@link Conditions#merge} says something differs; {@code updateStatus}
 * carries the cached resourceVersion, so a stale cache costs a 409 (the informer then brings the newer object and
 * the policy is reconciled again), never a lost update of another writer's conditions. Until the informer brings a
 * write back, the cache holds an older version, and the same content is not written again ({@link OwnWrites}).
 */
final class ClusterPolicyStatusWriter {

    /** What a write attempt did. */
    enum Outcome {
        /** The status already carried the conditions (or the object is gone). */
        UNCHANGED,
        WRITTEN,
        /** 409: the object changed since it was cached; its next version is reconciled when the informer brings it. */
        CONFLICT
    }

    private final KubernetesClient client;
    /** Per policy name: the conditions last written (without times) and the versions older than that write. */
    private final OwnWrites<List<Condition>> written = new OwnWrites<>();

    ClusterPolicyStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Makes {@code cached}'s status carry {@code desired}; {@code now} is the transition time of a condition whose
     * status flips. A failure other than a conflict or a deleted object is thrown.
     */
    Outcome write(ClusterNetworkPolicy cached, List<Condition> desired, String now) {
        String name = cached.getMetadata().getName();
        String version = cached.getMetadata().getResourceVersion();
        if (written.behind(name, version, desired)) {
            return Outcome.UNCHANGED; // written already; the informer has not brought the write back yet
        }
        List<Condition> existing = cached.getStatus() == null ? List.of() : cached.getStatus().getConditions();
        Optional<List<Condition>> merged = Conditions.merge(existing, desired, now);
        if (merged.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        ClusterNetworkPolicy copy = client.getKubernetesSerialization().clone(cached); // the cache's object stays as is
        ClusterNetworkPolicyStatus status = copy.getStatus() == null ? new ClusterNetworkPolicyStatus()
                : copy.getStatus();
        status.setConditions(merged.get());
        copy.setStatus(status);
        ClusterNetworkPolicy result;
        try {
            result = client.resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Outcome.CONFLICT;
            }
            if (e.getCode() == 404) {
                return Outcome.UNCHANGED;
            }
            throw e;
        }
        written.wrote(name, version, result == null ? null : result.getMetadata().getResourceVersion(),
                List.copyOf(desired));
        return Outcome.WRITTEN;
    }

    /** The policy is gone: nothing to remember of it. */
    void forget(String name) {
        written.forget(name);
    }

    /** A new leader starts from what the caches show, not from what this replica wrote when it led before. */
    void reset() {
        written.reset();
    }
}
