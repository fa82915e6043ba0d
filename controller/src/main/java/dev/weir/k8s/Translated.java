package dev.weir.k8s;

import dev.weir.model.Diagnostic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of translating one Kubernetes object: the model value when the object is valid, or nothing plus the
 * user mistakes that made it invalid. A rejected object is left out whole; its diagnostics say why.
 */
public record Translated<T>(Optional<T> value, List<Diagnostic> diagnostics) {

    public Translated {
        Objects.requireNonNull(value, "value");
        diagnostics = diagnostics.stream().sorted().toList();
        if (value.isEmpty() && diagnostics.isEmpty()) {
            throw new IllegalArgumentException("a rejected object must say why (no diagnostics given)");
        }
    }

    public static <T> Translated<T> accepted(T value) {
        return new Translated<>(Optional.of(value), List.of());
    }

    public static <T> Translated<T> rejected(List<Diagnostic> diagnostics) {
        return new Translated<>(Optional.empty(), diagnostics);
    }

    public boolean isAccepted() {
        return value.isPresent();
    }
}
