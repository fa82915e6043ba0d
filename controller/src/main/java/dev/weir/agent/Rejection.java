package dev.weir.agent;

import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectKey;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A policy left out because it is invalid, with what identifies the version that was judged: {@code uid} and
 * {@code generation} (spec changes) — falling back to {@code resourceVersion} where the API sets no generation — so
 * that one version is reported once, however often it is seen again.
 */
public record Rejection(ObjectKey object, String uid, String version, List<Diagnostic> diagnostics) {

    public Rejection {
        Objects.requireNonNull(object, "object");
        diagnostics = diagnostics.stream().sorted().toList();
        if (diagnostics.isEmpty()) {
            throw new IllegalArgumentException("a rejection must say why");
        }
    }

    /** Identity of the judged version: the same object and version is reported only once. */
    public String reportKey() {
        return object + "@" + uid + "/" + version;
    }

    /** The diagnostics as one message: {@code field: message; field: message}. */
    public String message() {
        return message(diagnostics);
    }

    /**
     * {@code diagnostics} as one message, {@code field: message; field: message}, in the given order: what a
     * rejection's Event says and what the {@code Accepted} condition of a ClusterNetworkPolicy lists.
     */
    public static String message(List<Diagnostic> diagnostics) {
        return diagnostics.stream()
                .map(d -> d.field() == null || d.field().isEmpty() ? d.message() : d.field() + ": " + d.message())
                .collect(Collectors.joining("; "));
    }
}
