package dev.weir.graph;

import dev.weir.graph.Decision.Outcome;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy semantics as a pure evaluator over a {@link PolicyGraph}: packet in, verdict and reasons out. Per side:
 * Admin-tier ClusterNetworkPolicy rules (first match: Accept and Deny are final, Pass skips the rest of the tier),
 * then NetworkPolicy when one isolates the pod, else Baseline-tier rules (first match; Pass ends the tier), else allow.
 * A ClusterNetworkPolicy {@code nodes} peer matches a peer whose address (in the family evaluated) is an address of a
 * selected node: among pods, that is a hostNetwork pod, whose IP is its node's.
 * One end may also be an address that is no pod's ({@link #outside}): a client or service outside the cluster, or a
 * node. {@code weir explain} prints it, and the dataplane is tested against it.
 */
public final class Reachability {

    /** The namespace of an {@link #outside} end: empty, which no pod's namespace can be. */
    private static final String OUTSIDE = "";

    private final PolicyGraph graph;

    public Reachability(PolicyGraph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    public PolicyGraph graph() {
        return graph;
    }

    /**
     * An address that is no pod's as one end of a packet: a client or service outside the cluster, or a node (when the
     * address is in a Node's {@code status.addresses}; then the node's own pods are always reachable from it, as for
     * its hostNetwork pods). No policy selects it and no pod group holds it; ipBlock, {@code networks} and
     * {@code nodes} peers match it by address, and a named port never resolves on it. Its namespace is empty and its
     * name is the address. The caller decides what an address that is a pod's IP means (normally: that pod).
     */
    public Endpoint outside(IpAddress address) {
        String node = graph.nodesWithAddress(address).stream().findFirst().orElse(null);
        return new Endpoint(OUTSIDE, address.toString(), Map.of(), List.of(address), node, true, PodPhase.RUNNING,
                List.of());
    }

    /** Whether an endpoint stands for an address rather than a pod (see {@link #outside}). */
    public static boolean isOutside(Endpoint e) {
        return e.namespace().equals(OUTSIDE);
    }

    /** How a verdict names an end: {@code ns/pod}, or the address for one {@link #outside} the pods. */
    public static String name(Endpoint e) {
        return isOutside(e) ? e.name() : e.key().namespacedName();
    }

    /** Evaluates a packet between two endpoints of the graph, by key ({@code ns/name}). */
    public Verdict evaluate(String srcKey, String dstKey, int port, Protocol protocol) {
        return evaluate(require(srcKey), require(dstKey), port, protocol);
    }

    /** Evaluates in the first IP family both endpoints have (IPv4 before IPv6). */
    public Verdict evaluate(Endpoint src, Endpoint dst, int port, Protocol protocol) {
        src = held(src);
        dst = held(dst);
        for (IpFamily f : IpFamily.values()) {
            if (src.ip(f).isPresent() && dst.ip(f).isPresent()) {
                return evaluate(src, dst, port, protocol, f);
            }
        }
        return evaluate(src, dst, port, protocol, IpFamily.V4);
    }

    /**
     * Evaluates a packet from {@code src} to {@code dst} in one IP family. A pod's record as the cluster reported it
     * ({@link PolicyGraph#reportedEndpoint}) is read as the graph holds it, without the addresses newer pods hold.
     */
    public Verdict evaluate(Endpoint src, Endpoint dst, int port, Protocol protocol, IpFamily family) {
        src = held(src);
        dst = held(dst);
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
     * A packet kube-proxy's rules rerouted ({@code dev.weir.service.ServiceRoutes}), judged as the filter hooks see it
     * after the DNAT: {@code src}'s egress towards {@code dst}, and {@code dst}'s ingress from {@code seenSource} (the
     * client, or the address a node masqueraded it to). Nothing is exempt: a pod its Service sends back to itself
     * (hairpin) left the pod and is judged by both sides, as the dataplane judges it.
     */
    public Verdict evaluateRouted(Endpoint src, Endpoint seenSource, Endpoint dst, int port, Protocol protocol,
            IpFamily family) {
        src = held(src);
        dst = held(dst);
        seenSource = held(seenSource);
        Verdict.Side egress = side(PolicyType.EGRESS, src, dst, dst.ip(family), port, protocol);
        Verdict.Side ingress = side(PolicyType.INGRESS, dst, seenSource, seenSource.ip(family), port, protocol);
        return Verdict.of(egress, ingress);
    }

    /**
     * One side: {@code subject} is the pod whose policies apply (the source for egress, the destination for ingress),
     * {@code peer} the pod at the other end, {@code peerIp} its address in the family evaluated. The side's
     * {@link Decision} names what decided: a ClusterNetworkPolicy rule (with its tier, policy and rule), the
     * NetworkPolicies that allowed or, isolating the pod, allowed nothing, or nothing at all (not isolated).
     */
    private Verdict.Side side(PolicyType type, Endpoint subject, Endpoint peer, Optional<IpAddress> peerIp, int port,
            Protocol protocol) {
        String direction = Verdict.Side.word(type);
        if (isOutside(subject)) {
            String why = subject.node() != null ? " is node " + subject.node() + "'s address; policies never select a node"
                    : " is not a pod's address; no policy applies to that end";
            return Verdict.Side.unjudged(type, subject.name(), subject.name() + why);
        }
        if (!subject.isPolicyEndpoint()) {
            Displacement displaced = graph.displaced().get(name(subject));
            String why = subject.hostNetwork() ? "is a hostNetwork pod, which policies never select"
                    : displaced != null ? "holds no address: " + lost(displaced) + ", so no policy applies to it"
                    : "has no IP or has terminated, so no policy applies to it";
            return Verdict.Side.unjudged(type, name(subject), name(subject) + " " + why);
        }
        // the destination pod resolves named ports: for ingress that is the subject, for egress the peer
        Endpoint destination = type == PolicyType.INGRESS ? subject : peer;
        List<CompiledPolicy> ordered = graph.policiesFor(name(subject)).policies(type).stream().map(graph::policy)
                .toList();
        String passedBy = null;
        Match admin = firstMatch(ordered, PolicyTier.ADMIN, type, peer, peerIp, port, protocol, destination);
        if (admin != null) {
            switch (admin.rule().action()) {
                case ACCEPT:
                    return decided(subject, null, "allowed by " + admin.describe(), admin.decision(Outcome.ALLOW));
                case DENY:
                    return decided(subject, null, "denied by " + admin.describe(), admin.decision(Outcome.DENY));
                default:
                    // not a decision: what comes next decides, and the reason text keeps the pass
                    passedBy = admin.describe();
            }
        }
        List<CompiledPolicy> isolating = ordered.stream().filter(p -> p.tier() == PolicyTier.NETWORK_POLICY)
                .toList();
        if (isolating.isEmpty()) {
            if (ordered.isEmpty()) {
                return new Verdict.Side(direction, name(subject), true, List.of(), List.of(), null, null, null,
                        Decision.notIsolated(type));
            }
            Match baseline = firstMatch(ordered, PolicyTier.BASELINE, type, peer, peerIp, port, protocol,
                    destination);
            if (baseline == null) {
                // the API's default; no tier decided, as for a pod no policy selects
                return decided(subject, passedBy, name(subject) + " is not selected by any NetworkPolicy with "
                        + direction + " rules and no ClusterNetworkPolicy rule matches: allowed",
                        Decision.notIsolated(type));
            }
            return switch (baseline.rule().action()) {
                case ACCEPT -> decided(subject, passedBy, "allowed by " + baseline.describe(),
                        baseline.decision(Outcome.ALLOW));
                case DENY -> decided(subject, passedBy, "denied by " + baseline.describe(),
                        baseline.decision(Outcome.DENY));
                case PASS -> decided(subject, passedBy, "passed by " + baseline.describe()
                        + ", which ends the Baseline tier: allowed by default", baseline.decision(Outcome.PASS));
            };
        }
        // NetworkPolicies only add: every rule of every isolating policy that matches allows
        List<String> allowing = new ArrayList<>();
        List<ObjectKey> allowingPolicies = new ArrayList<>();
        for (CompiledPolicy p : isolating) {
            for (CompiledRule r : p.rules(type)) {
                if (matches(r, peer, peerIp, port, protocol, destination)) {
                    allowing.add(p.describe(r));
                    allowingPolicies.add(p.source().key());
                }
            }
        }
        Decision decision = allowing.isEmpty()
                ? Decision.defaultDeny(type, isolating.stream().map(p -> p.source().key()).toList())
                : Decision.allowedByPolicies(type, allowingPolicies);
        return new Verdict.Side(direction, name(subject), !allowing.isEmpty(),
                isolating.stream().map(CompiledPolicy::key).toList(), allowing, null, passedBy, null, decision);
    }

    /**
     * The addresses a pod lost and who holds them: {@code its address 10.0.0.5 is held by the newer pod x/b}; for a
     * tie {@code ... is held by x/b (created in the same second; the first name holds it)}; a dual-stack pod's two
     * addresses as {@code its addresses 10.0.0.5 and fd00::5 are held by ...}, or {@code ... and fd00::5 by ...}.
     */
    private String lost(Displacement d) {
        Map<String, List<String>> byHolder = new LinkedHashMap<>();
        d.heldBy().forEach((address, holderKey) -> byHolder.computeIfAbsent(holder(holderKey, d.reported()),
                k -> new ArrayList<>()).add(address.toString()));
        List<String> parts = new ArrayList<>();
        byHolder.forEach((who, addresses) -> parts.add(parts.isEmpty()
                ? (addresses.size() == 1 ? "its address " + addresses.get(0) + " is held by "
                        : "its addresses " + String.join(" and ", addresses) + " are held by ") + who
                : String.join(" and ", addresses) + " by " + who));
        return String.join(" and ", parts);
    }

    /** The pod holding an address another one claims, with why it does (see {@link AddressClaims#PRECEDENCE}). */
    private String holder(String holderKey, Endpoint loser) {
        Endpoint holder = graph.endpoint(holderKey);
        if (holder.created() != null && (loser.created() == null || holder.created().isAfter(loser.created()))) {
            return "the newer pod " + holderKey;
        }
        return holderKey + (holder.created() != null ? " (created in the same second; the first name holds it)"
                : " (neither creation time is known; the first name holds it)");
    }

    /**
     * The record of a pod as the graph holds it: a displaced pod's reported record without its lost addresses; any
     * other endpoint as given.
     */
    private Endpoint held(Endpoint e) {
        if (graph.displaced().isEmpty() || isOutside(e)) {
            return e;
        }
        Displacement d = graph.displaced().get(e.key().namespacedName());
        return d != null && d.reported().equals(e) ? graph.endpoint(e.key().namespacedName()) : e;
    }

    private static Verdict.Side decided(Endpoint subject, String passedBy, String decidedBy, Decision decision) {
        return new Verdict.Side(Verdict.Side.word(decision.direction()), name(subject), decision.allows(), List.of(),
                List.of(), null, passedBy, decidedBy, decision);
    }

    /** A cluster policy rule that matched, with its policy. */
    private record Match(CompiledPolicy policy, CompiledRule rule) {
        String describe() {
            return policy.describe(rule);
        }

        /** The rule's decision: its policy, tier and place in the policy as written. */
        Decision decision(Outcome outcome) {
            return Decision.clusterPolicyRule(rule.direction(), outcome, policy.tier(), policy.name(),
                    Decision.RuleRef.of(rule));
        }
    }

    /** The first rule of {@code tier} (in evaluation order) of the subject's policies that matches. */
    private Match firstMatch(List<CompiledPolicy> ordered, PolicyTier tier, PolicyType type, Endpoint peer,
            Optional<IpAddress> peerIp, int port, Protocol protocol, Endpoint destination) {
        for (CompiledPolicy p : ordered) {
            if (p.tier() != tier) {
                continue;
            }
            for (CompiledRule r : p.rules(type)) {
                if (matches(r, peer, peerIp, port, protocol, destination)) {
                    return new Match(p, r);
                }
            }
        }
        return null;
    }

    private boolean matches(CompiledRule r, Endpoint peer, Optional<IpAddress> peerIp, int port, Protocol protocol,
            Endpoint destination) {
        return peerMatches(r.peers(), peer, peerIp) && portMatches(r.ports(), port, protocol, destination);
    }

    /** Whether the peer matches any of {@code peers}; an empty list matches every peer. */
    private boolean peerMatches(List<PeerRef> peers, Endpoint peer, Optional<IpAddress> peerIp) {
        if (peers.isEmpty()) {
            return true;
        }
        for (PeerRef ref : peers) {
            if (ref instanceof PeerRef.Group g) {
                if (peer.isPolicyEndpoint() && graph.isMember(g.id(), peer.key().namespacedName())) {
                    return true;
                }
            } else if (ref instanceof PeerRef.Block b) {
                if (peerIp.isPresent() && graph.ipBlockSet(b.id()).block().contains(peerIp.get())) {
                    return true;
                }
            } else if (ref instanceof PeerRef.Nodes n) {
                // by address, as the dataplane's set matches: in a pod world, a hostNetwork pod holds its node's IP
                if (peerIp.isPresent() && graph.nodeGroupHolds(n.id(), peerIp.get()).isPresent()) {
                    return true;
                }
            } else {
                throw new AssertionError(ref);
            }
        }
        return false;
    }

    /** Whether the packet matches any of {@code ports}; an empty list matches all traffic. */
    private static boolean portMatches(List<PortMatch> ports, int port, Protocol protocol, Endpoint destination) {
        if (ports.isEmpty()) {
            return true;
        }
        for (PortMatch m : ports) {
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
