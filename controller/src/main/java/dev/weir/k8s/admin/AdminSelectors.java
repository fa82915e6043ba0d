package dev.weir.k8s.admin;

import dev.weir.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** fabric8 {@code LabelSelector} → model {@link LabelSelector}; a broken requirement is an error on its path. */
final class AdminSelectors {

    private AdminSelectors() {
    }

    /** {@code in} must be non-null; an empty selector selects everything, as in the API. */
    static Optional<LabelSelector> translate(io.fabric8.kubernetes.api.model.LabelSelector in, String field,
            Findings findings) {
        int before = findings.errorCount();
        Map<String, String> labels = in.getMatchLabels() == null ? Map.of() : in.getMatchLabels();
        labels.forEach((k, v) -> {
            if (k == null || k.isEmpty()) {
                findings.error(field + ".matchLabels", "label key must not be empty");
            } else if (v == null) {
                findings.error(field + ".matchLabels[" + k + "]", "label value must not be null");
            }
        });
        List<LabelSelectorRequirement> expressions =
                in.getMatchExpressions() == null ? List.of() : in.getMatchExpressions();
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            LabelSelectorRequirement r = expressions.get(i);
            String path = field + ".matchExpressions[" + i + "]";
            LabelSelector.Operator op;
            try {
                op = LabelSelector.Operator.parse(r.getOperator());
            } catch (IllegalArgumentException e) {
                findings.error(path + ".operator", e.getMessage());
                continue;
            }
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            findings.attempt(path, () -> new LabelSelector.Requirement(r.getKey() == null ? "" : r.getKey(), op,
                    values)).ifPresent(requirements::add);
        }
        if (findings.errorCount() > before) {
            return Optional.empty();
        }
        return Optional.of(LabelSelector.of(labels, requirements));
    }
}
