package dev.weir.graph;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.PositionedRule;
import dev.weir.model.admin.Tier;
import dev.weir.model.admin.TierOutcome;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The NetworkPolicy and ClusterNetworkPolicy semantics written straight from the API text over raw objects: no graph, no groups, no indexes.
 * Slow and obvious on purpose, to judge the compiler and {@link Reachability} against.
 */
final class SpecOracle {

    private final Map<String, Namespace> namespaces;
    private final Collection<Endpoint> pods;
    private final Collection<NetworkPolicy> policies;
    private final Collection<ClusterPolicy> clusterPolicies;
    private final Collection<Node> nodes;

    /** {@code pods}: every pod as reported, with every address it claims. */
    SpecOracle(Map<String, Namespace> namespaces, Collection<Endpoint> pods, Collection<NetworkPolicy> policies,
            Collection<ClusterPolicy> clusterPolicies, Collection<Node> nodes) {
        this.namespaces = namespaces;
        this.pods = pods;
        this.policies = policies;
        this.clusterPolicies = clusterPolicies;
        this.nodes = nodes;
    }

    /** Whether a packet passes; {@code src} and {@code dst} are pods as reported. */
    boolean allows(Endpoint reportedSrc, Endpoint reportedDst, int port, Protocol protocol, IpFamily family) {
        Endpoint src = held(reportedSrc);
        Endpoint dst = held(reportedDst);
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
        Endpoint destination0 = type == PolicyType.INGRESS ? subject : peer;
        List<PositionedRule> ordered = ClusterPolicy.evaluationOrder(clusterPolicies, type);
        Predicate<PositionedRule> matches = r -> subjectSelects(r.subject(), subject)
                && r.rule().peers().stream().anyMatch(x -> clusterPeerMatches(x, peer, peerIp))
                && r.rule().matchesPort(port, protocol, destination0);
        TierOutcome admin = TierOutcome.evaluate(ordered, Tier.ADMIN, matches);
        if (admin.isFinal()) {
            return admin instanceof TierOutcome.Accepted;
        }
        if (!networkPolicyIsolates(type, subject)) {
            return !(TierOutcome.evaluate(ordered, Tier.BASELINE, matches) instanceof TierOutcome.Denied);
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

    private boolean networkPolicyIsolates(PolicyType type, Endpoint subject) {
        return policies.stream().anyMatch(p -> p.namespace().equals(subject.namespace())
                && p.podSelector().matches(subject.labels()) && p.policyTypes().contains(type));
    }

    private boolean subjectSelects(ClusterPolicySubject s, Endpoint subject) {
        LabelSelector nsSel = s instanceof ClusterPolicySubject.Pods p ? p.namespaceSelector()
                : ((ClusterPolicySubject.Namespaces) s).namespaceSelector();
        LabelSelector podSel = s instanceof ClusterPolicySubject.Pods p ? p.podSelector() : LabelSelector.all();
        return namespaceMatches(nsSel, subject.namespace()) && podSel.matches(subject.labels());
    }

    /** An unknown namespace matches only the empty selector (weir's documented fail-closed reading). */
    private boolean namespaceMatches(LabelSelector sel, String namespace) {
        return sel.requirements().isEmpty()
                || (namespaces.containsKey(namespace) && sel.matches(namespaces.get(namespace).labels()));
    }

    private boolean clusterPeerMatches(ClusterPolicyPeer x, Endpoint peer, Optional<IpAddress> peerIp) {
        if (x instanceof ClusterPolicyPeer.Namespaces n) {
            return eligible(peer) && namespaceMatches(n.namespaceSelector(), peer.namespace());
        } else if (x instanceof ClusterPolicyPeer.Pods p) {
            return eligible(peer) && namespaceMatches(p.namespaceSelector(), peer.namespace())
                    && p.podSelector().matches(peer.labels());
        } else if (x instanceof ClusterPolicyPeer.Networks n) {
            return peerIp.isPresent() && n.contains(peerIp.get());
        } else if (x instanceof ClusterPolicyPeer.Anywhere) {
            return true;
        } else if (x instanceof ClusterPolicyPeer.Nowhere) {
            return false;
        } else if (x instanceof ClusterPolicyPeer.Nodes n) {
            // upstream: the addresses in status.addresses of the nodes the selector selects
            return peerIp.isPresent() && nodes.stream().anyMatch(node -> n.nodeSelector().matches(node.labels())
                    && node.addresses().contains(peerIp.get()));
        }
        throw new AssertionError(x);
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

    /**
     * The pod without every address that another live pod also claims and has the better claim to: the newer pod
     * (known creation time over unknown), on equal times the one whose {@code ns/name} sorts first.
     */
    Endpoint held(Endpoint e) {
        if (!eligible(e)) {
            return e;
        }
        List<IpAddress> kept = e.ips().stream().filter(ip -> pods.stream().noneMatch(other -> other != e
                && eligible(other) && other.ips().contains(ip) && betterClaim(other, e))).toList();
        return kept.size() == e.ips().size() ? e : e.withIps(kept);
    }

    private static boolean betterClaim(Endpoint a, Endpoint b) {
        if (a.created() != null && b.created() != null && !a.created().equals(b.created())) {
            return a.created().isAfter(b.created());
        }
        if ((a.created() == null) != (b.created() == null)) {
            return a.created() != null;
        }
        return a.key().namespacedName().compareTo(b.key().namespacedName()) < 0;
    }

    private static boolean eligible(Endpoint e) {
        return !e.hostNetwork() && !e.ips().isEmpty() && !e.phase().terminal();
    }
}
