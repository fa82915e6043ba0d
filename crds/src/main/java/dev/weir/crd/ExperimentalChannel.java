package dev.weir.crd;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field only upstream's experimental channel has. weir reads it, because a cluster may have the experimental CRD
 * installed, but the CRD weir generates follows the standard channel and leaves the field out: an empty
 * {@code @SchemaFrom} omits a property from the schema, and Jackson's annotation bundle carries it to every field
 * marked here.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@JacksonAnnotationsInside
@SchemaFrom
public @interface ExperimentalChannel {
}
