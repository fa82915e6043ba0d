package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** {@code spec.subject}: exactly one of {@code namespaces} or {@code pods}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Subject {

    @JsonPropertyDescription("Every pod of the namespaces this selector selects.")
    @SchemaFrom(type = LabelSelectorSchema.class)
    private LabelSelector namespaces;

    @JsonPropertyDescription("Pods selected by namespace selector AND pod selector.")
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
