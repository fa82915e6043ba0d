package dev.weir.k8s;

import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;

/**
 * The user mistakes found while translating one object, each naming its field path as the API server reports it:
 * errors (the object is invalid and left out whole) and warnings (valid, enforced with a caveat). One collector for
 * every kind, so that a NetworkPolicy and a ClusterNetworkPolicy are judged and reported alike.
 */
public final class Findings {

    private static final int MAX_MESSAGE = 400;

    private final ObjectKey object;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();

    public Findings(ObjectKey object) {
        this.object = object;
    }

    public ObjectKey object() {
        return object;
    }

    public void error(String field, String message) {
        errors.add(new Diagnostic(object, field, bounded(message)));
    }

    public void warn(String field, String message) {
        warnings.add(new Diagnostic(object, field, bounded(message)));
    }

    /**
     * A message quoting a huge value (a 70,000-character label) keeps its start and end: it goes into Events, log
     * lines and explain's stderr, and the value is in the object for whoever wants all of it.
     */
    private static String bounded(String message) {
        if (message == null || message.length() <= MAX_MESSAGE) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE - 60) + "... (" + (message.length() - MAX_MESSAGE + 20)
                + " characters left out) ..." + message.substring(message.length() - 20);
    }

    /**
     * A value Jackson could not bind to the field's type (a string where a list belongs, a number out of the field's
     * range) as an error on its field path, e.g. {@code spec.egress[0].ports}: the API server refuses such objects.
     */
    public void error(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        int nl = message.indexOf('\n');
        error(path.toString(), nl < 0 ? message : message.substring(0, nl));
    }

    /** How many errors so far: a step compares it before and after to learn whether its own part was valid. */
    public int errorCount() {
        return errors.size();
    }

    /**
     * Checks {@code metadata.name} (required, an RFC 1123 subdomain, or a label for namespaces) and, for namespaced
     * objects, {@code metadata.namespace}.
     */
    void checkMetadata(String name, String namespace, boolean isNamespace) {
        if (name == null || name.isEmpty()) {
            error("metadata.name", "name or generateName is required");
        } else {
            String problem =
                    isNamespace ? ApiValidation.namespaceNameProblem(name) : ApiValidation.objectNameProblem(name);
            if (problem != null) {
                error("metadata.name", problem);
            }
        }
        if (namespace != null) {
            String problem = ApiValidation.namespaceNameProblem(namespace);
            if (problem != null) {
                error("metadata.namespace", problem);
            }
        }
    }

    /**
     * Runs a model constructor whose compact constructor validates; its {@link IllegalArgumentException} becomes an
     * error on {@code field}. The translators check first with better paths, so this is the safety net.
     */
    public <T> Optional<T> attempt(String field, Supplier<T> construct) {
        try {
            return Optional.of(construct.get());
        } catch (IllegalArgumentException e) {
            error(field, e.getMessage());
            return Optional.empty();
        }
    }

    /** The object rejected with the errors found so far (there must be at least one). */
    public <T> Translated<T> rejected() {
        return new Translated<>(object, Optional.empty(), errors);
    }

    /**
     * Rejected when an error was found, else the value {@code construct} builds (its validation failing is one more
     * error on the whole object), accepted with the warnings found.
     */
    public <T> Translated<T> result(Supplier<T> construct) {
        Optional<T> value = errors.isEmpty() ? attempt("", construct) : Optional.empty();
        if (value.isEmpty()) {
            return rejected();
        }
        return new Translated<>(object, value, warnings);
    }
}
