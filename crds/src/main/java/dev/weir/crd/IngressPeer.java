package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;

/** One of an ingress rule's {@code from}: exactly one field set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = JsonMergePatch.class, input = SchemaPatches.EXACTLY_ONE_FIELD)
public class IngressPeer extends PodSelection {
}
