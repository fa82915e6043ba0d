package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The NetworkPolicy semantics as a pure evaluator over a {@link PolicyGraph}: packet in, verdict and reasons out.
 * {@code weir explain} prints it, and the dataplane is tested against it.
 */
public final class Reachability {

    private final PolicyGraph graph;

    public Reachability(PolicyGraph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    public PolicyGraph graph() {
        return graph;
    }

    /** Evaluates a packet between two endpoints of the graph, by key ({@code ns/name}). */
    public Verdict evaluate(String srcKey, String dstKey, int port, Protocol protocol) {
        return evaluate(require(srcKey), require(dstKey), port, protocol);
    }

    /** Evaluates in the first IP family both endpoints have (IPv4 before IPv6). */
    public Verdict evaluate(Endpoint src, Endpoint dst, int port, Protocol protocol) {
        for (IpFamily f : IpFamily.values()) {
            if (src.ip(f).isPresent() && dst.ip(f).isPresent()) {
                return evaluate(src, dst, port, protocol, f);
            }
        }
        return evaluate(src, dst, port, protocol, IpFamily.V4);
    }

    /** Evaluates a packet from {@code src} to {@code dst} in one IP family. */
    public Verdict evaluate(Endpoint src, Endpoint dst, int port, Protocol protocol, IpFamily family) {
        if (src.key().equals(dst.key())) {
            return Verdict.always("a pod's traffic to itself never leaves it: allowed");
        }
        if (src.hostNetwork() && src.node() != null && src.node().equals(dst.node())) {
            return Verdict.always("traffic from a pod's own node is always allowed");
        }
        Optional<IpAddress> srcIp = src.ip(family);
        Optional<IpAddress> dstIp = dst.ip(family);
        Verdict.Side egress = side(PolicyType.EGRESS, src, dst, dstIp, port, protocol);
        Verdict.Side ingress = side(PolicyType.INGRESS, dst, src, srcIp, port, protocol);
        return Verdict.of(egress, ingress);
    }

    /**
     * One side: {@code subject} is the pod whose policies apply (the source for egress, the destination for ingress),
     * {@code peer} the pod at the other end, {@code peerIp} its address in the family evaluated.
     */
    private Verdict.Side side(PolicyType type, Endpoint subject, Endpoint peer, Optional<IpAddress> peerIp, int port,
            Protocol protocol) {
        String direction = type == PolicyType.INGRESS ? "ingress" : "egress";
        if (!subject.isPolicyEndpoint()) {
            String why = subject.hostNetwork() ? "is a hostNetwork pod, which policies never select"
                    : "has no IP or has terminated, so no policy applies to it";
            return new Verdict.Side(direction, subject.key(), true, List.of(), List.of(), subject.key() + " " + why);
        }
        List<String> isolating = graph.policiesFor(subject.key()).policies(type);
        if (isolating.isEmpty()) {
            return new Verdict.Side(direction, subject.key(), true, List.of(), List.of(), null);
        }
        // the destination pod resolves named ports: for ingress that is the subject, for egress the peer
        Endpoint destination = type == PolicyType.INGRESS ? subject : peer;
        List<String> allowing = new ArrayList<>();
        for (String policyKey : isolating) {
            CompiledPolicy p = graph.policy(policyKey);
            for (CompiledRule r : p.rules(type)) {
                if (peerMatches(r, peer, peerIp) && portMatches(r, port, protocol, destination)) {
                    allowing.add(policyKey + " " + r.label());
                }
            }
        }
        return new Verdict.Side(direction, subject.key(), !allowing.isEmpty(), isolating, allowing, null);
    }

    private boolean peerMatches(CompiledRule r, Endpoint peer, Optional<IpAddress> peerIp) {
        if (r.allPeers()) {
            return true;
        }
        for (PeerRef ref : r.peers()) {
            if (ref instanceof PeerRef.Group g) {
                if (peer.isPolicyEndpoint() && graph.isMember(g.groupId(), peer.key())) {
                    return true;
                }
            } else if (ref instanceof PeerRef.Block b) {
                if (peerIp.isPresent() && graph.ipBlockSet(b.setId()).block().contains(peerIp.get())) {
                    return true;
                }
            } else {
                throw new AssertionError(ref);
            }
        }
        return false;
    }

    private static boolean portMatches(CompiledRule r, int port, Protocol protocol, Endpoint destination) {
        if (r.allPorts()) {
            return true;
        }
        for (PortMatch m : r.ports()) {
            if (m.matches(port, protocol, destination)) {
                return true;
            }
        }
        return false;
    }

    private Endpoint require(String key) {
        Endpoint e = graph.endpoint(key);
        if (e == null) {
            throw new IllegalArgumentException("no pod " + key + " in the cluster");
        }
        return e;
    }
}
