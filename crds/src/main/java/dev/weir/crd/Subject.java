package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;

/** {@code spec.subject}: exactly one of {@code namespaces} or {@code pods}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {
            "namespaces": {"description": "Every pod of the namespaces this selector selects."},
            "pods": {"description": "Pods selected by namespace selector AND pod selector."}}}""")
public class Subject extends PodSelection {
}
