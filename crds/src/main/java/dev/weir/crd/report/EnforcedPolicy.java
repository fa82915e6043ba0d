package dev.weir.crd.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.weir.crd.JsonMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;

/** One policy whose rules are in the node's kernel, at the version the agent applied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {"appliedTime": {"format": "date-time"}}}""")
public record EnforcedPolicy(
        @Required
        @JsonPropertyDescription("NetworkPolicy or ClusterNetworkPolicy.")
        String kind,
        @JsonPropertyDescription("Namespace of a NetworkPolicy; absent for a ClusterNetworkPolicy.")
        String namespace,
        @Required
        String name,
        @JsonPropertyDescription("metadata.uid of the policy that was applied.")
        String uid,
        @JsonPropertyDescription("metadata.generation of the policy that was applied.")
        Long generation,
        @JsonPropertyDescription("When this agent first applied this generation of the policy.")
        String appliedTime) {
}
