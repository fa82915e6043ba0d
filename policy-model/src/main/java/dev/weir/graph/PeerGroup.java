package dev.weir.graph;

import java.util.List;
import java.util.Objects;

/**
 * A set of pods selected by one canonical selector, shared by every policy and rule that uses the same selector.
 * {@code members} are endpoint keys ({@code ns/name}) of eligible pods (not hostNetwork, with an IP, not terminal),
 * sorted.
 */
public record PeerGroup(GroupSelector selector, List<String> members) {

    public PeerGroup {
        Objects.requireNonNull(selector, "selector");
        members = members.stream().distinct().sorted().toList();
    }

    public String id() {
        return selector.id();
    }
}
