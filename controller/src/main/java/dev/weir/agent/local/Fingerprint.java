package dev.weir.agent.local;

import java.util.List;

/**
 * The cheap part of what discovery reads: the node's host routes and the CNI cache directory's listing. When it
 * differs from the one the last discovery saw, a pod's interface may have come or gone, and a sync is due; when it is
 * equal, discovery would read the same routes and files again.
 */
public record Fingerprint(List<String> hostRoutes, List<String> cacheFiles) {

    public static final Fingerprint NONE = new Fingerprint(List.of(), List.of());

    public Fingerprint {
        hostRoutes = hostRoutes.stream().sorted().toList();
        cacheFiles = List.copyOf(cacheFiles);
    }

    static Fingerprint of(List<HostRoute> routes, List<CniResultCache.FileEntry> files) {
        return new Fingerprint(routes.stream().map(HostRoute::toString).toList(),
                files.stream().map(CniResultCache.FileEntry::toString).toList());
    }
}
