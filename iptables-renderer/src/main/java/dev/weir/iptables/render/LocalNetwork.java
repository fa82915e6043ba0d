package dev.weir.iptables.render;

import dev.weir.model.Cidr;
import dev.weir.model.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a node's agent knows about its own node beyond the policy graph: the host-side interface of each local pod
 * it has found ({@code interfaces}, keyed by pod), the node's pod address ranges ({@code podCidrs}), and whether
 * traffic of local pod addresses it has not programmed yet is dropped ({@code failClosed}). Pods without an entry
 * are judged by address alone (see {@code docs/dataplane.md}, Anti-spoofing).
 */
public record LocalNetwork(SortedMap<ObjectKey, PodInterface> interfaces, List<Cidr> podCidrs, boolean failClosed) {

    private static final LocalNetwork NONE = new LocalNetwork(Map.of(), List.of(), false);

    public LocalNetwork(Map<ObjectKey, PodInterface> interfaces, List<Cidr> podCidrs, boolean failClosed) {
        this(new TreeMap<>(interfaces), podCidrs, failClosed);
    }

    public LocalNetwork {
        interfaces = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(interfaces)));
        podCidrs = podCidrs.stream().distinct().sorted().toList();
        if (failClosed && podCidrs.isEmpty()) {
            throw new IllegalArgumentException("fail-closed needs the node's pod CIDRs");
        }
    }

    /** Nothing known: no interface binding, no anti-spoofing, no fail-closed drop (the ruleset of earlier releases). */
    public static LocalNetwork none() {
        return NONE;
    }

    /** True when anti-spoofing or fail-closed rules are rendered at all. */
    public boolean guarded() {
        return !interfaces.isEmpty() || failClosed;
    }
}
