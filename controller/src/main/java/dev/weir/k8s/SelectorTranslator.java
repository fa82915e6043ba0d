package dev.weir.k8s;

import dev.weir.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** fabric8 {@code LabelSelector} → model {@link LabelSelector}, validated as the API server validates selectors. */
final class SelectorTranslator {

    private SelectorTranslator() {
    }

    /** A null selector means "everything" (the API's {@code podSelector: {}} and an omitted one are the same). */
    static Optional<LabelSelector> translate(io.fabric8.kubernetes.api.model.LabelSelector in, String field,
            FieldErrors errors) {
        if (in == null) {
            return Optional.of(LabelSelector.all());
        }
        int before = errors.all().size();
        Map<String, String> matchLabels = in.getMatchLabels() == null ? Map.of() : in.getMatchLabels();
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            String keyProblem = ApiValidation.labelKeyProblem(e.getKey());
            if (keyProblem != null) {
                errors.add(field + ".matchLabels", keyProblem);
            }
            String valueProblem = ApiValidation.labelValueProblem(e.getValue());
            if (valueProblem != null) {
                errors.add(field + ".matchLabels[" + e.getKey() + "]", valueProblem);
            }
        }
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        List<LabelSelectorRequirement> expressions =
                in.getMatchExpressions() == null ? List.of() : in.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            requirement(expressions.get(i), field + ".matchExpressions[" + i + "]", errors)
                    .ifPresent(requirements::add);
        }
        if (errors.all().size() > before) {
            return Optional.empty();
        }
        return errors.attempt(field, () -> LabelSelector.of(matchLabels, requirements));
    }

    private static Optional<LabelSelector.Requirement> requirement(LabelSelectorRequirement r, String field,
            FieldErrors errors) {
        String keyProblem = ApiValidation.labelKeyProblem(r.getKey());
        if (keyProblem != null) {
            errors.add(field + ".key", keyProblem);
            return Optional.empty();
        }
        LabelSelector.Operator op;
        try {
            op = LabelSelector.Operator.parse(r.getOperator());
        } catch (IllegalArgumentException e) {
            errors.add(field + ".operator", e.getMessage());
            return Optional.empty();
        }
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean needsValues = op == LabelSelector.Operator.IN || op == LabelSelector.Operator.NOT_IN;
        if (needsValues && values.isEmpty()) {
            errors.add(field + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
            return Optional.empty();
        }
        if (!needsValues && !values.isEmpty()) {
            errors.add(field + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
            return Optional.empty();
        }
        for (int i = 0; i < values.size(); i++) {
            String problem = ApiValidation.labelValueProblem(values.get(i));
            if (problem != null) {
                errors.add(field + ".values[" + i + "]", problem);
                return Optional.empty();
            }
        }
        return errors.attempt(field, () -> new LabelSelector.Requirement(r.getKey(), op, values));
    }
}
