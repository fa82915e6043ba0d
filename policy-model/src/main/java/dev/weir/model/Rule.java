package dev.weir.model;

import java.util.List;

/**
 * One ingress or egress rule. An empty {@code peers} list matches every peer (the API's omitted or empty
 * {@code from}/{@code to}); an empty {@code ports} list matches every port and protocol.
 */
public record Rule(List<Peer> peers, List<PortMatch> ports) {

    public Rule {
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }

    /** {@code {}}: every peer, every port. */
    public static Rule allowAll() {
        return new Rule(List.of(), List.of());
    }

    public boolean allPeers() {
        return peers.isEmpty();
    }

    public boolean allPorts() {
        return ports.isEmpty();
    }
}
