package dev.weir.graph;

import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.admin.RuleAction;
import java.util.List;
import java.util.Objects;

/**
 * One rule of a policy after compilation: its direction and index in the source policy and its name (empty when
 * unnamed; NetworkPolicy rules have none), for explanations; its action (a NetworkPolicy rule always accepts); the
 * peers as references into shared groups and sets (empty = every peer); and the port matches (empty = every port).
 */
public record CompiledRule(PolicyType direction, int index, String name, RuleAction action, List<PeerRef> peers,
        List<PortMatch> ports) {

    public CompiledRule {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(action, "action");
        name = name == null ? "" : name;
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }

    /** A NetworkPolicy rule: unnamed, and it accepts what it matches. */
    public CompiledRule(PolicyType direction, int index, List<PeerRef> peers, List<PortMatch> ports) {
        this(direction, index, "", RuleAction.ACCEPT, peers, ports);
    }

    public boolean allPeers() {
        return peers.isEmpty();
    }

    public boolean allPorts() {
        return ports.isEmpty();
    }

    /** Human reference: {@code ingress[0]}, or {@code egress[0] "block-dns"} for a named rule. */
    public String label() {
        String position = (direction == PolicyType.INGRESS ? "ingress" : "egress") + "[" + index + "]";
        return name.isEmpty() ? position : position + " \"" + name + "\"";
    }
}
