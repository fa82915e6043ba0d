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
        members = strictlyAscending(members) ? List.copyOf(members) : members.stream().distinct().sorted().toList();
    }

    public String id() {
        return selector.id();
    }

    /** Whether the endpoint with this key is a member: O(log n) over the sorted members. */
    public boolean contains(String endpointKey) {
        return java.util.Collections.binarySearch(members, endpointKey) >= 0;
    }

    private static boolean strictlyAscending(List<String> keys) {
        String previous = null;
        for (String k : keys) {
            if (previous != null && previous.compareTo(k) >= 0) {
                return false;
            }
            previous = k;
        }
        return true;
    }
}
