package dev.weir.crd;

/**
 * JSON merge patches that {@code @SchemaCustomizer(JsonMergePatch.class)} applies to a class's generated schema, for
 * the facts of upstream's schema that fabric8's annotations cannot state (object property counts, list and map
 * types). Constants, so that each fact is spelled once and the annotations stay short.
 */
final class SchemaPatches {

    /**
     * A union used as a list item: exactly one field set. Upstream says this with min/maxProperties rather than a CEL
     * rule naming the fields, so the same schema holds for both channels whatever fields each has. (Where the union
     * is an object field, {@code @Size(min = 1, max = 1)} on the field says it: the generator sets an object field's
     * property counts from the field's {@code @Size}, over whatever the class said.)
     */
    static final String EXACTLY_ONE_FIELD = """
            {"minProperties": 1, "maxProperties": 1}""";

    /** A label selector is replaced whole on update, never merged key by key (metav1.LabelSelector's marker). */
    static final String ATOMIC_MAP = """
            {"x-kubernetes-map-type": "atomic"}""";

    private SchemaPatches() {
    }
}
