package dev.weir.crd.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A policy the agent leaves out whole because it is invalid, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RejectedPolicy(
        @Required
        @JsonPropertyDescription("NetworkPolicy or ClusterNetworkPolicy.")
        String kind,
        @JsonPropertyDescription("Namespace of a NetworkPolicy; absent for a ClusterNetworkPolicy.")
        String namespace,
        @Required
        String name,
        @JsonPropertyDescription("metadata.uid of the policy that was judged.")
        String uid,
        @JsonPropertyDescription("metadata.generation of the policy that was judged.")
        Long generation,
        @Size(max = NodePolicyReportStatus.MAX_MESSAGE)
        @JsonPropertyDescription("Why, field by field, as the PolicyRejected event says it.")
        String message) {
}
