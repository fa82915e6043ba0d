package dev.weir.controller;

import dev.weir.agent.SerializedItemStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the controller's informer keeps the nodes' {@code NodePolicyReport}s: only what {@code NodeReports.read} and the
 * informer use (the name, uid and resourceVersion, and {@code status}), as JSON bytes. Decoded as generic resources a
 * report cost ≈ 8 KB besides its listed policies — most of it the managed fields and the empty collections of fabric8's
 * metadata — so 42 MiB at 5,000 nodes, ten times what the view keeps of them read (docs/benchmarks.md, "The
 * controller at Kubernetes' limits"). Read back only by a FULL resync and a watch event's previous version.
 */
final class ReportStore {

    private ReportStore() {
    }

    static ItemStore<GenericKubernetesResource> create() {
        return SerializedItemStore.of(GenericKubernetesResource.class, ReportStore::trim);
    }

    /** A copy with the metadata the informer keys and versions on, and the status; the input is not changed. */
    static GenericKubernetesResource trim(GenericKubernetesResource in) {
        GenericKubernetesResource out = new GenericKubernetesResource();
        out.setApiVersion(in.getApiVersion());
        out.setKind(in.getKind());
        ObjectMeta m = new ObjectMeta();
        if (in.getMetadata() != null) {
            m.setName(in.getMetadata().getName());
            m.setUid(in.getMetadata().getUid());
            m.setResourceVersion(in.getMetadata().getResourceVersion());
        }
        // fabric8 allocates every collection of a fresh ObjectMeta; null reads as empty everywhere and costs nothing
        m.setAnnotations(null);
        m.setFinalizers(null);
        m.setLabels(null);
        m.setManagedFields(null);
        m.setOwnerReferences(null);
        out.setMetadata(m);
        Object status = in.getAdditionalProperties().get("status");
        Map<String, Object> rest = new LinkedHashMap<>();
        if (status != null) {
            rest.put("status", status);
        }
        out.setAdditionalProperties(rest);
        return out;
    }
}
