package dev.weir.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector in canonical form: {@code matchLabels} become {@code In} requirements with one value,
 * requirements are sorted and de-duplicated. Two selectors that select the same label sets by construction (the same
 * requirements written in another order, or {@code matchLabels: {a: b}} versus {@code key: a, operator: In, values: [b]})
 * are equal values and share one {@link #canonical()} text. The empty selector matches everything.
 */
public record LabelSelector(List<Requirement> requirements) {

    private static final LabelSelector ALL = new LabelSelector(List.of());

    public LabelSelector {
        requirements = List.copyOf(new TreeSet<>(requirements));
    }

    /** The empty selector: matches every label set ({@code podSelector: {}}, {@code namespaceSelector: {}}). */
    public static LabelSelector all() {
        return ALL;
    }

    /** Builds a selector from the API's two halves; either may be empty. */
    public static LabelSelector of(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
        List<Requirement> all = new ArrayList<>(matchExpressions);
        matchLabels.forEach((k, v) -> all.add(new Requirement(k, Operator.IN, List.of(v))));
        return new LabelSelector(all);
    }

    /** {@code matchLabels} only. */
    public static LabelSelector matchLabels(Map<String, String> labels) {
        return of(labels, List.of());
    }

    /** Convenience for one {@code key=value} pair. */
    public static LabelSelector matchLabel(String key, String value) {
        return matchLabels(Map.of(key, value));
    }

    public boolean matchesAll() {
        return requirements.isEmpty();
    }

    /** True when every requirement holds for {@code labels} (the API's AND of requirements). */
    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** The label keys this selector reads; a label change on any other key cannot change its verdict. */
    public Set<String> keys() {
        return requirements.stream().map(Requirement::key).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Deterministic text, {@code kubectl}-like: {@code app in (web),tier notin (db),!legacy}; empty for all. */
    public String canonical() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return requirements.isEmpty() ? "{}" : canonical();
    }

    /** A selector operator, as the API spells it. */
    public enum Operator {
        IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist");

        private final String apiName;

        Operator(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }

        /** Parses the API spelling exactly; anything else is a user error naming the operator. */
        public static Operator parse(String text) {
            for (Operator op : values()) {
                if (op.apiName.equals(text)) {
                    return op;
                }
            }
            throw new IllegalArgumentException(
                    "unknown operator \"" + text + "\" (want In, NotIn, Exists or DoesNotExist)");
        }
    }

    /**
     * One requirement, validated as the API validates it: {@code In}/{@code NotIn} need at least one value,
     * {@code Exists}/{@code DoesNotExist} take none. Values are sorted and de-duplicated.
     */
    public record Requirement(String key, Operator operator, List<String> values) implements Comparable<Requirement> {

        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("label selector key must not be empty");
            }
            values = List.copyOf(new TreeSet<>(values));
            switch (operator) {
                case IN, NOT_IN -> {
                    if (values.isEmpty()) {
                        throw new IllegalArgumentException(
                                "operator " + operator.apiName() + " on key \"" + key + "\" needs at least one value");
                    }
                }
                case EXISTS, DOES_NOT_EXIST -> {
                    if (!values.isEmpty()) {
                        throw new IllegalArgumentException(
                                "operator " + operator.apiName() + " on key \"" + key + "\" takes no values");
                    }
                }
                default -> throw new AssertionError(operator);
            }
        }

        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case IN -> v != null && values.contains(v);
                case NOT_IN -> v == null || !values.contains(v); // the API: NotIn matches when the key is absent
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }

        @Override
        public int compareTo(Requirement o) {
            int c = key.compareTo(o.key);
            if (c != 0) {
                return c;
            }
            c = operator.compareTo(o.operator);
            return c != 0 ? c : String.join(",", values).compareTo(String.join(",", o.values));
        }

        @Override
        public String toString() {
            return switch (operator) {
                case IN -> key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }
    }
}
