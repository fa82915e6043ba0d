package dev.weir.agent.denials;

import dev.weir.graph.PolicyGraph;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which pod holds an address, as one graph saw it: built on the sync thread from the graph just applied and then only
 * read (immutable), so the NFLOG reader's thread never touches the graph. Only pods that take part in policy hold
 * addresses here: a hostNetwork pod's address is its node's, shared with every other hostNetwork pod there; a pod
 * that lost its address to a newer pod is in the graph without it (docs/model.md, "One address, one pod").
 */
public final class PodAddresses {

    public static final PodAddresses NONE = new PodAddresses(Map.of());

    private final Map<IpAddress, ObjectKey> pods;

    private PodAddresses(Map<IpAddress, ObjectKey> pods) {
        this.pods = pods;
    }

    public static PodAddresses of(PolicyGraph graph) {
        Map<IpAddress, ObjectKey> pods = new HashMap<>();
        for (Endpoint e : graph.endpoints().values()) {
            if (e.isPolicyEndpoint()) {
                for (IpAddress a : e.ips()) {
                    pods.put(a, e.key());
                }
            }
        }
        return new PodAddresses(Collections.unmodifiableMap(pods));
    }

    /** The pod holding {@code address}; empty for an address no pod holds (a node, a client outside, a stale IP). */
    public Optional<ObjectKey> pod(IpAddress address) {
        return Optional.ofNullable(pods.get(address));
    }

    public int size() {
        return pods.size();
    }
}
