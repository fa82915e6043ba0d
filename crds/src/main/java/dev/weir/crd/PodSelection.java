package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * The two ways upstream names pods, shared by {@link Subject}, {@link IngressPeer} and {@link EgressPeer}: every pod
 * of some namespaces, or pods by namespace and pod selector. The descriptions are the peers' ({@link Subject} words
 * its own in a schema patch, since host-network pods are never subjects at all).
 */
public abstract class PodSelection {

    @JsonPropertyDescription("Every pod (not host-network) of the selected namespaces.")
    @SchemaFrom(type = LabelSelectorSchema.class)
    private LabelSelector namespaces;

    @JsonPropertyDescription("Pods (not host-network) selected by namespace selector AND pod selector.")
    private NamespacedPod pods;

    public LabelSelector getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(LabelSelector namespaces) {
        this.namespaces = namespaces;
    }

    public NamespacedPod getPods() {
        return pods;
    }

    public void setPods(NamespacedPod pods) {
        this.pods = pods;
    }
}
