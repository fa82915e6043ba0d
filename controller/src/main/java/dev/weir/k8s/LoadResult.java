package dev.weir.k8s;

import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ManifestLoader} made of a set of manifests: the snapshot of every accepted object, the user mistakes
 * (rejected objects, unreadable documents), and notes about what the loader assumed or ignored (namespaces it created,
 * addresses it invented, kinds it skipped) — each note one line, meant for the user.
 */
public record LoadResult(ClusterSnapshot snapshot, List<Diagnostic> diagnostics, List<String> notes) {

    public LoadResult {
        Objects.requireNonNull(snapshot, "snapshot");
        diagnostics = List.copyOf(diagnostics);
        notes = List.copyOf(notes);
    }

    /** True when some object or document was rejected. */
    public boolean hasRejections() {
        return !diagnostics.isEmpty();
    }
}
