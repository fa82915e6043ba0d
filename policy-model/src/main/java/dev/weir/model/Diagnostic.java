package dev.weir.model;

import java.util.Objects;

/**
 * A user mistake found in an object, as a value: which object, which field (a JSON path such as
 * {@code spec.ingress[0].from[1].ipBlock.cidr}) and what is wrong. The object is left out; everything else still works.
 */
public record Diagnostic(ObjectRef object, String field, String message) implements Comparable<Diagnostic> {

    public Diagnostic {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public int compareTo(Diagnostic o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return object + (field == null || field.isEmpty() ? "" : ": " + field) + ": " + message;
    }
}
