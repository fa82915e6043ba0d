package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Pods in namespaces: both selectors must match. An empty selector selects everything. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class NamespacedPod {

    @JsonPropertyDescription("Selects namespaces; empty or omitted selects every namespace.")
    @SchemaFrom(type = LabelSelectorSchema.class)
    private LabelSelector namespaceSelector;

    @Required
    @JsonPropertyDescription("Selects pods within the selected namespaces; empty selects every pod.")
    @SchemaFrom(type = LabelSelectorSchema.class)
    private LabelSelector podSelector;

    public LabelSelector getNamespaceSelector() {
        return namespaceSelector;
    }

    public void setNamespaceSelector(LabelSelector namespaceSelector) {
        this.namespaceSelector = namespaceSelector;
    }

    public LabelSelector getPodSelector() {
        return podSelector;
    }

    public void setPodSelector(LabelSelector podSelector) {
        this.podSelector = podSelector;
    }
}
