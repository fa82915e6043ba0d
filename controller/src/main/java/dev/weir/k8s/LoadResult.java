package dev.weir.k8s;

import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Diagnostic;
import dev.weir.model.IpAddress;
import dev.weir.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ManifestLoader} made of a set of manifests: the snapshot of every accepted object, the user mistakes
 * (rejected objects, unreadable documents), and notes about what the loader assumed or ignored (namespaces it created,
 * addresses it invented, kinds it skipped) — each note one line, meant for the user. {@code services} are the
 * modelled Services ({@link ServiceTranslator}) and {@code masquerade} each node's masquerade address, for
 * {@code weir explain --to svc/NS/NAME}.
 */
public record LoadResult(ClusterSnapshot snapshot, List<Diagnostic> diagnostics, List<String> notes,
        List<Service> services, Map<String, IpAddress> masquerade) {

    public LoadResult {
        Objects.requireNonNull(snapshot, "snapshot");
        diagnostics = List.copyOf(diagnostics);
        notes = List.copyOf(notes);
        services = List.copyOf(services);
        masquerade = Map.copyOf(masquerade);
    }

    /** Without Services. */
    public LoadResult(ClusterSnapshot snapshot, List<Diagnostic> diagnostics, List<String> notes) {
        this(snapshot, diagnostics, notes, List.of(), Map.of());
    }

    /** True when some object or document was rejected. */
    public boolean hasRejections() {
        return !diagnostics.isEmpty();
    }
}
