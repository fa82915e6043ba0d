package dev.weir.k8s;

import dev.weir.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fabric8 {@code LabelSelector} → model {@link LabelSelector}, validated as the API server validates selectors
 * ({@code ValidateLabelSelector}: qualified label keys, label values, operators and their values), with the same field
 * paths. Every selector of either policy kind goes through here, so both reject the same mistakes in the same words.
 */
public final class SelectorTranslator {

    private SelectorTranslator() {
    }

    /** A null selector means "everything" (the API's {@code podSelector: {}} and an omitted one are the same). */
    public static Optional<LabelSelector> translate(io.fabric8.kubernetes.api.model.LabelSelector in, String field,
            Findings findings) {
        if (in == null) {
            return Optional.of(LabelSelector.all());
        }
        int before = findings.errorCount();
        Map<String, String> matchLabels = labels(in.getMatchLabels(), field + ".matchLabels", findings);
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            String keyProblem = ApiValidation.labelKeyProblem(e.getKey());
            if (keyProblem != null) {
                findings.error(field + ".matchLabels", keyProblem);
            }
            String valueProblem = ApiValidation.labelValueProblem(e.getValue());
            if (valueProblem != null) {
                findings.error(field + ".matchLabels[" + e.getKey() + "]", valueProblem);
            }
        }
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        List<LabelSelectorRequirement> expressions =
                in.getMatchExpressions() == null ? List.of() : in.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            LabelSelectorRequirement r =
                    expressions.get(i) == null ? new LabelSelectorRequirement() : expressions.get(i);
            requirement(r, field + ".matchExpressions[" + i + "]", findings).ifPresent(requirements::add);
        }
        if (findings.errorCount() > before) {
            return Optional.empty();
        }
        // policies repeat selectors ({app: web}): equal ones are held once (SharedValues)
        return findings.attempt(field, () -> SharedValues.of(LabelSelector.of(matchLabels, requirements)));
    }

    /**
     * A null label value read as {@code ""}, as the API server decodes a NetworkPolicy (a null string is its zero
     * value); a ClusterNetworkPolicy never carries one from a cluster (the CRD's null pruning drops the entry), and
     * {@code weir explain} drops it before translation in the same way. See docs/model.md.
     */
    private static Map<String, String> labels(Map<String, String> in, String field, Findings findings) {
        if (in == null) {
            return Map.of();
        }
        Map<String, String> out = new java.util.TreeMap<>();
        in.forEach((k, v) -> {
            if (v == null) {
                findings.warn(field + "[" + k + "]", "null read as \"\", as the API server stores it");
            }
            out.put(k == null ? "" : k, v == null ? "" : v);
        });
        return out;
    }

    private static Optional<LabelSelector.Requirement> requirement(LabelSelectorRequirement r, String field,
            Findings findings) {
        String keyProblem = ApiValidation.labelKeyProblem(r.getKey());
        if (keyProblem != null) {
            findings.error(field + ".key", keyProblem);
            return Optional.empty();
        }
        LabelSelector.Operator op;
        try {
            op = LabelSelector.Operator.parse(r.getOperator());
        } catch (IllegalArgumentException e) {
            findings.error(field + ".operator", e.getMessage());
            return Optional.empty();
        }
        List<String> values = r.getValues() == null ? List.of()
                : r.getValues().stream().map(v -> v == null ? "" : v).toList();
        boolean needsValues = op == LabelSelector.Operator.IN || op == LabelSelector.Operator.NOT_IN;
        if (needsValues && values.isEmpty()) {
            findings.error(field + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
            return Optional.empty();
        }
        if (!needsValues && !values.isEmpty()) {
            findings.error(field + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
            return Optional.empty();
        }
        for (int i = 0; i < values.size(); i++) {
            String problem = ApiValidation.labelValueProblem(values.get(i));
            if (problem != null) {
                findings.error(field + ".values[" + i + "]", problem);
                return Optional.empty();
            }
        }
        return findings.attempt(field, () -> new LabelSelector.Requirement(r.getKey(), op, values));
    }
}
