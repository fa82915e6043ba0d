package dev.weir.crd.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.weir.crd.JsonMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A failed sync of the agent: the kernel kept the rules of the last successful one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {"time": {"format": "date-time"}}}""")
public record ApplyFailure(
        @Required
        @JsonPropertyDescription("When the sync failed.")
        String time,
        @Required
        @Size(max = NodePolicyReportStatus.MAX_MESSAGE)
        @JsonPropertyDescription("The error, cut to " + NodePolicyReportStatus.MAX_MESSAGE + " characters.")
        String message) {
}
