package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The NetworkPolicy semantics written straight from the API text over raw objects: no graph, no groups, no indexes.
 * Slow and obvious on purpose, to judge the compiler and {@link Reachability} against.
 */
final class SpecOracle {

    private final Map<String, Namespace> namespaces;
    private final Collection<NetworkPolicy> policies;

    SpecOracle(Map<String, Namespace> namespaces, Collection<NetworkPolicy> policies) {
        this.namespaces = namespaces;
        this.policies = policies;
    }

    boolean allows(Endpoint src, Endpoint dst, int port, Protocol protocol, IpFamily family) {
        if (src.key().equals(dst.key())) {
            return true;
        }
        if (src.hostNetwork() && src.node() != null && src.node().equals(dst.node())) {
            return true;
        }
        return sideAllows(PolicyType.EGRESS, src, dst, dst.ip(family), port, protocol)
                && sideAllows(PolicyType.INGRESS, dst, src, src.ip(family), port, protocol);
    }

    private boolean sideAllows(PolicyType type, Endpoint subject, Endpoint peer, Optional<IpAddress> peerIp, int port,
            Protocol protocol) {
        if (!eligible(subject)) {
            return true;
        }
        boolean isolated = false;
        for (NetworkPolicy p : policies) {
            if (!p.namespace().equals(subject.namespace()) || !p.podSelector().matches(subject.labels())
                    || !p.policyTypes().contains(type)) {
                continue;
            }
            isolated = true;
            for (Rule r : p.rules(type)) {
                Endpoint destination = type == PolicyType.INGRESS ? subject : peer;
                if (peersMatch(p, r, peer, peerIp) && portsMatch(r, port, protocol, destination)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private boolean peersMatch(NetworkPolicy p, Rule r, Endpoint peer, Optional<IpAddress> peerIp) {
        if (r.peers().isEmpty()) {
            return true;
        }
        for (Peer x : r.peers()) {
            if (x instanceof Peer.Pods pods) {
                boolean nsOk = pods.namespaceSelector() == null ? peer.namespace().equals(p.namespace())
                        : pods.namespaceSelector().requirements().isEmpty()
                                || (namespaces.containsKey(peer.namespace())
                                        && pods.namespaceSelector().matches(namespaces.get(peer.namespace()).labels()));
                if (eligible(peer) && nsOk && pods.podSelector().matches(peer.labels())) {
                    return true;
                }
            } else if (x instanceof Peer.IpBlock b) {
                if (peerIp.isPresent() && b.contains(peerIp.get())) {
                    return true;
                }
            } else {
                throw new AssertionError(x);
            }
        }
        return false;
    }

    private static boolean portsMatch(Rule r, int port, Protocol protocol, Endpoint destination) {
        if (r.ports().isEmpty()) {
            return true;
        }
        for (PortMatch m : r.ports()) {
            if (m.matches(port, protocol, destination)) {
                return true;
            }
        }
        return false;
    }

    private static boolean eligible(Endpoint e) {
        return !e.hostNetwork() && !e.ips().isEmpty() && !e.phase().terminal();
    }
}
