package dev.weir.crd;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/**
 * The schema of a selector field ({@code @SchemaFrom}), as the API server's own metav1.LabelSelector has it: a
 * requirement needs key and operator, both lists are atomic and the selector is an atomic map. The Java fields stay
 * fabric8's {@code LabelSelector}, which the translators share with NetworkPolicy; this record only shapes the CRD.
 */
@SchemaCustomizer(value = JsonMergePatch.class, input = SchemaPatches.ATOMIC_MAP)
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {"matchExpressions": {"x-kubernetes-list-type": "atomic"}}}""")
record LabelSelectorSchema(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    @SchemaCustomizer(value = JsonMergePatch.class, input = """
            {"properties": {"values": {"x-kubernetes-list-type": "atomic"}}}""")
    record Requirement(@Required String key, @Required String operator, List<String> values) {
    }
}
