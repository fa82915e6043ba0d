package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** One of an ingress rule's {@code from}: exactly one field set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = JsonMergePatch.class, input = SchemaPatches.EXACTLY_ONE_FIELD)
public class IngressPeer {

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
