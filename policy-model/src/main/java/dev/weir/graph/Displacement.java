package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A pod that lost some of its addresses to newer pods (docs/model.md, "One address, one pod"): its record as the
 * cluster reported it, and for each lost address the key ({@code ns/name}) of the pod that holds it. The graph's
 * endpoint of the pod is that record without the lost addresses.
 */
public record Displacement(Endpoint reported, SortedMap<IpAddress, String> heldBy) {

    public Displacement {
        Objects.requireNonNull(reported, "reported");
        if (heldBy.isEmpty() || !reported.ips().containsAll(heldBy.keySet())) {
            throw new IllegalArgumentException("a displacement lists some of the pod's own addresses, got " + heldBy
                    + " for " + reported.ips());
        }
        heldBy = Collections.unmodifiableSortedMap(new TreeMap<>(heldBy));
    }
}
