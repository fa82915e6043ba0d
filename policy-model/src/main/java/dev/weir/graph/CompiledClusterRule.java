package dev.weir.graph;

import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.admin.RuleAction;
import java.util.List;
import java.util.Objects;

/**
 * One ClusterNetworkPolicy rule after compilation: its direction and index in the source policy, its name (empty when
 * unnamed), its action, the peers as references into shared groups and sets (empty = any address at all, weir's
 * fail-closed deny-all), and the port matches (empty = all traffic).
 */
public record CompiledClusterRule(PolicyType direction, int index, String name, RuleAction action,
        List<PeerRef> peers, List<PortMatch> ports) {

    public CompiledClusterRule {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(action, "action");
        name = name == null ? "" : name;
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }

    public boolean allPeers() {
        return peers.isEmpty();
    }

    public boolean allPorts() {
        return ports.isEmpty();
    }

    /** Human reference: {@code egress[0]}, or {@code egress[0] "block-dns"} for a named rule. */
    public String label() {
        String position = (direction == PolicyType.INGRESS ? "ingress" : "egress") + "[" + index + "]";
        return name.isEmpty() ? position : position + " \"" + name + "\"";
    }
}
