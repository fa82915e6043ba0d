package dev.weir.crd;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code @SchemaCustomizer} that merges its input into the schema generated for the annotated class by RFC 7386
 * JSON merge patch: objects merge key by key at every depth, anything else replaces. fabric8's own
 * {@code MergePatchCustomizer} merges only top-level keys, so patching one property would drop its siblings.
 * Used by the CRD generator only; nothing loads it at run time.
 */
public final class JsonMergePatch implements SchemaCustomizer.Customizer {

    @Override
    @SuppressWarnings("unchecked")
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
        Map<String, Object> schema = serialization.convertValue(props, LinkedHashMap.class);
        merge(schema, serialization.unmarshal(input, LinkedHashMap.class));
        return serialization.convertValue(schema, JSONSchemaProps.class);
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> sub && target.get(key) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) sub);
            } else {
                target.put(key, value);
            }
        });
    }
}
