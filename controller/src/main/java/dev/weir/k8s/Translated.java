package dev.weir.k8s;

import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one Kubernetes object became: the model value when the object is valid, with warnings for the parts weir
 * enforces with a caveat (a ClusterNetworkPolicy peer that fails closed); or nothing, with the errors that made it
 * invalid (it is left out whole). Built by {@link Findings}.
 *
 * @param diagnostics the warnings of an accepted object, the errors of a rejected one; sorted
 */
public record Translated<T>(ObjectKey object, Optional<T> value, List<Diagnostic> diagnostics) {

    public Translated {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(value, "value");
        diagnostics = diagnostics.stream().sorted().toList();
        if (value.isEmpty() && diagnostics.isEmpty()) {
            throw new IllegalArgumentException("a rejected object must say why (no diagnostics given)");
        }
    }

    public boolean isAccepted() {
        return value.isPresent();
    }
}
