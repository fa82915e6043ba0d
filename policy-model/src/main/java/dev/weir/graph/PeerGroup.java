package dev.weir.graph;

import java.util.List;
import java.util.Objects;

/**
 * A set of pods selected by one canonical selector, shared by every policy and rule that uses the same selector.
 * {@code members} are endpoint keys ({@code ns/name}) of eligible pods (not hostNetwork, with an IP, not terminal),
 * sorted and distinct, so {@link #contains} can binary-search.
 */
public record PeerGroup(GroupSelector selector, List<String> members) {

    public PeerGroup {
        Objects.requireNonNull(selector, "selector");
        members = SortedKeys.of(members);
    }

    public String id() {
        return selector.id();
    }

    /** Whether the endpoint with this key is a member: O(log n) over the sorted members. */
    public boolean contains(String endpointKey) {
        return members instanceof SortedArrayMap.KeyList k ? k.containsKey(endpointKey)
                : java.util.Collections.binarySearch(members, endpointKey) >= 0;
    }
}
