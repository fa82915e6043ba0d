package dev.weir.graph;

import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import java.util.List;
import java.util.Objects;

/**
 * One rule of a policy after compilation: its direction and index in the source policy (for explanations), the peers
 * as references into shared groups and sets (empty = every peer), and the port matches (empty = every port).
 */
public record CompiledRule(PolicyType direction, int index, List<PeerRef> peers, List<PortMatch> ports) {

    public CompiledRule {
        Objects.requireNonNull(direction, "direction");
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }

    public boolean allPeers() {
        return peers.isEmpty();
    }

    public boolean allPorts() {
        return ports.isEmpty();
    }

    /** Human reference, e.g. {@code ingress[0]}. */
    public String label() {
        return (direction == PolicyType.INGRESS ? "ingress" : "egress") + "[" + index + "]";
    }
}
