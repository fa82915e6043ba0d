package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * The schema of one status condition ({@code @SchemaFrom}), as the API server validates metav1.Condition: type,
 * status, reason, message and lastTransitionTime required, status one of True, False or Unknown, reason a CamelCase
 * word. The Java field stays fabric8's {@code Condition}; this record only shapes the CRD.
 */
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {"lastTransitionTime": {"format": "date-time"}}}""")
record ConditionSchema(
        @Required @Size(max = 316)
        @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                + "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
        String type,
        @Required Status status,
        @Min(0) Long observedGeneration,
        @Required String lastTransitionTime,
        @Required @Size(min = 1, max = 1024) @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$") String reason,
        @Required @Size(max = 32768) String message) {

    enum Status {
        @JsonProperty("True")
        TRUE,
        @JsonProperty("False")
        FALSE,
        @JsonProperty("Unknown")
        UNKNOWN
    }
}
