package dev.weir.k8s;

import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Collects the user mistakes found in one object, each naming its field path, as the API server reports them. */
final class FieldErrors {

    private final ObjectRef object;
    private final List<Diagnostic> found = new ArrayList<>();

    FieldErrors(ObjectRef object) {
        this.object = object;
    }

    /**
     * Checks {@code metadata.name} (required, an RFC 1123 subdomain, or a label for namespaces) and, for namespaced
     * objects, {@code metadata.namespace}.
     */
    void checkMetadata(String name, String namespace, boolean isNamespace) {
        if (name == null || name.isEmpty()) {
            add("metadata.name", "name or generateName is required");
        } else {
            String problem = isNamespace ? ApiValidation.namespaceNameProblem(name) : ApiValidation.objectNameProblem(name);
            if (problem != null) {
                add("metadata.name", problem);
            }
        }
        if (namespace != null) {
            String problem = ApiValidation.namespaceNameProblem(namespace);
            if (problem != null) {
                add("metadata.namespace", problem);
            }
        }
    }

    void add(String field, String message) {
        found.add(new Diagnostic(object, field, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<Diagnostic> all() {
        return List.copyOf(found);
    }

    /**
     * Runs a model constructor whose compact constructor validates; its {@link IllegalArgumentException} becomes a
     * diagnostic on {@code field}. The translators check first with better paths, so this is the safety net.
     */
    <T> Optional<T> attempt(String field, Supplier<T> construct) {
        try {
            return Optional.of(construct.get());
        } catch (IllegalArgumentException e) {
            add(field, e.getMessage());
            return Optional.empty();
        }
    }

    <T> Translated<T> result(Supplier<T> value) {
        if (!found.isEmpty()) {
            return Translated.rejected(found);
        }
        try {
            return Translated.accepted(value.get());
        } catch (IllegalArgumentException e) {
            add("", e.getMessage());
            return Translated.rejected(found);
        }
    }
}
