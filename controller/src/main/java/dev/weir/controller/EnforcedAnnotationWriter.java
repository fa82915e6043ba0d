package dev.weir.controller;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * Writes a NetworkPolicy's {@value EnforcementSummary#ANNOTATION} annotation (NetworkPolicy has no status), on the
 * reconcile thread: a JSON merge patch of that one annotation, only when the cached object carries another value.
 * Metadata only, so the policy's generation does not move. Until the informer brings a write back, the same value is
 * not written again ({@link OwnWrites}).
 */
final class EnforcedAnnotationWriter {

    private final KubernetesClient client;
    /** Per policy ({@code namespace/name}): the value last written and the versions older than that write. */
    private final OwnWrites<String> written = new OwnWrites<>();

    EnforcedAnnotationWriter(KubernetesClient client) {
        this.client = client;
    }

    /** The annotation's value on {@code p}, or null. */
    static String current(NetworkPolicy p) {
        Map<String, String> a = p.getMetadata().getAnnotations();
        return a == null ? null : a.get(EnforcementSummary.ANNOTATION);
    }

    /** Makes {@code cached} carry {@code value}; returns whether it wrote. A deleted policy is no failure. */
    boolean write(NetworkPolicy cached, String value) {
        String key = cached.getMetadata().getNamespace() + "/" + cached.getMetadata().getName();
        String version = cached.getMetadata().getResourceVersion();
        if (value.equals(current(cached)) || written.behind(key, version, value)) {
            return false;
        }
        String patch = client.getKubernetesSerialization().asJson(Map.of("metadata",
                Map.of("annotations", Map.of(EnforcementSummary.ANNOTATION, value))));
        NetworkPolicy result;
        try {
            result = client.network().v1().networkPolicies().inNamespace(cached.getMetadata().getNamespace())
                    .withName(cached.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
        written.wrote(key, version, result == null ? null : result.getMetadata().getResourceVersion(), value);
        return true;
    }

    void forget(String namespace, String name) {
        written.forget(namespace + "/" + name);
    }

    void reset() {
        written.reset();
    }
}
