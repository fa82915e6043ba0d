package dev.weir.k8s.admin;

import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Errors (the object is invalid) and warnings (valid, enforced with a caveat) found in one object, by field path. */
final class Findings {

    private final ObjectRef object;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();

    Findings(ObjectRef object) {
        this.object = object;
    }

    ObjectRef object() {
        return object;
    }

    void error(String field, String message) {
        errors.add(new Diagnostic(object, field, message));
    }

    void warn(String field, String message) {
        warnings.add(new Diagnostic(object, field, message));
    }

    int errorCount() {
        return errors.size();
    }

    List<Diagnostic> errors() {
        return List.copyOf(errors);
    }

    List<Diagnostic> warnings() {
        return List.copyOf(warnings);
    }

    /** Runs a validating model constructor; its {@link IllegalArgumentException} becomes an error on {@code field}. */
    <T> Optional<T> attempt(String field, Supplier<T> construct) {
        try {
            return Optional.of(construct.get());
        } catch (IllegalArgumentException e) {
            error(field, e.getMessage());
            return Optional.empty();
        }
    }
}
