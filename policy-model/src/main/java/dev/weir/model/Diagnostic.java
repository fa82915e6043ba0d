package dev.weir.model;

import java.util.Objects;

/**
 * A user mistake found in an object, as a value: where (an object such as {@code NetworkPolicy dev/web}, or a manifest
 * file), which field (a JSON path such as {@code spec.ingress[0].from[1].ipBlock.cidr}) and what is wrong. The object
 * is left out; everything else still works.
 */
public record Diagnostic(String subject, String field, String message) implements Comparable<Diagnostic> {

    public Diagnostic {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    /** A mistake in one cluster object. */
    public Diagnostic(ObjectKey object, String field, String message) {
        this(object.toString(), field, message);
    }

    @Override
    public int compareTo(Diagnostic o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return subject + (field == null || field.isEmpty() ? "" : ": " + field) + ": " + message;
    }
}
