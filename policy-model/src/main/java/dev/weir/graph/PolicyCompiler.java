package dev.weir.graph;

import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.LabelSelector;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.Rule;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles policies of both kinds into the one {@link CompiledPolicy} form, and a whole cluster into a
 * {@link PolicyGraph}. Pure: no I/O, no clock, no logging. Group and set references are content ids, independent of
 * any cluster state, so a policy compiles the same wherever it is compiled.
 */
public final class PolicyCompiler {

    private PolicyCompiler() {
    }

    /**
     * The graph of a whole snapshot: what {@link IncrementalGraph} holds after applying its upserts (the CLI and the
     * agent build their graphs the one way).
     */
    public static PolicyGraph compile(ClusterSnapshot snapshot) {
        return IncrementalGraph.of(snapshot).graph();
    }

    /** A NetworkPolicy or a ClusterNetworkPolicy. */
    public static CompiledPolicy compile(ClusterObject policy) {
        if (policy instanceof NetworkPolicy p) {
            return compile(p);
        } else if (policy instanceof ClusterPolicy p) {
            return compile(p);
        }
        throw new IllegalArgumentException("not a policy: " + policy.key());
    }

    /** A NetworkPolicy: the middle tier, whose rules all accept; pod peers of its own namespace or selected ones. */
    public static CompiledPolicy compile(NetworkPolicy p) {
        List<List<CompiledRule>> rules = new ArrayList<>();
        for (PolicyType type : PolicyType.values()) {
            List<CompiledRule> out = new ArrayList<>();
            List<Rule> source = p.rules(type);
            for (int i = 0; i < source.size(); i++) {
                List<PeerRef> refs = new ArrayList<>();
                for (Peer peer : source.get(i).peers()) {
                    if (peer instanceof Peer.Pods pods) {
                        refs.add(new PeerRef.Group(groupOf(p.namespace(), pods)));
                    } else if (peer instanceof Peer.IpBlock b) {
                        refs.add(new PeerRef.Block(new IpBlockSet(b)));
                    } else {
                        throw new AssertionError(peer);
                    }
                }
                out.add(new CompiledRule(type, i, refs, source.get(i).ports()));
            }
            rules.add(out);
        }
        return new CompiledPolicy(p, PolicyTier.NETWORK_POLICY, 0,
                GroupSelector.inNamespace(p.namespace(), p.podSelector()), p.policyTypes(), rules.get(0),
                rules.get(1));
    }

    /**
     * A ClusterNetworkPolicy: subject and pod peers become groups (always cross-namespace: the policy has no namespace
     * of its own), each {@code networks} CIDR an ipBlock set without excepts, each {@code nodes} selector a node
     * group. {@link ClusterPolicyPeer.Anywhere} (the translator's stand-in for a peer it cannot read, which only a
     * Deny-all rule holds) compiles to a rule without peers: every address. A rule left with no peer at all (its peers
     * are {@link ClusterPolicyPeer.Nowhere}) can match nothing and is left out; every rule keeps its index in the
     * object as written.
     */
    public static CompiledPolicy compile(ClusterPolicy p) {
        Set<PolicyType> types = EnumSet.noneOf(PolicyType.class);
        List<List<CompiledRule>> rules = new ArrayList<>();
        for (PolicyType type : PolicyType.values()) {
            if (p.affects(type)) {
                types.add(type);
            }
            List<CompiledRule> out = new ArrayList<>();
            List<ClusterPolicyRule> source = p.rules(type);
            for (int i = 0; i < source.size(); i++) {
                ClusterPolicyRule r = source.get(i);
                boolean anywhere = r.peers().stream().anyMatch(ClusterPolicyPeer.Anywhere.class::isInstance);
                Set<PeerRef> refs = new LinkedHashSet<>();
                r.peers().forEach(peer -> refs.addAll(refsOf(peer)));
                if (anywhere || !refs.isEmpty()) {
                    out.add(new CompiledRule(type, i, r.name(), r.action(), anywhere ? List.of() : List.copyOf(refs),
                            r.ports()));
                }
            }
            rules.add(out);
        }
        return new CompiledPolicy(p, PolicyTier.of(p.tier()), p.priority(), subjectGroup(p.subject()), types,
                rules.get(0), rules.get(1));
    }

    private static List<PeerRef> refsOf(ClusterPolicyPeer peer) {
        if (peer instanceof ClusterPolicyPeer.Namespaces n) {
            return List.of(new PeerRef.Group(GroupSelector.acrossNamespaces(n.namespaceSelector(),
                    LabelSelector.all())));
        } else if (peer instanceof ClusterPolicyPeer.Pods p) {
            return List.of(new PeerRef.Group(GroupSelector.acrossNamespaces(p.namespaceSelector(), p.podSelector())));
        } else if (peer instanceof ClusterPolicyPeer.Networks n) {
            return n.cidrs().stream().<PeerRef>map(c -> new PeerRef.Block(new IpBlockSet(new Peer.IpBlock(c,
                    List.of())))).toList();
        } else if (peer instanceof ClusterPolicyPeer.Nodes n) {
            return List.of(new PeerRef.Nodes(n.nodeSelector()));
        } else if (peer instanceof ClusterPolicyPeer.Anywhere || peer instanceof ClusterPolicyPeer.Nowhere) {
            return List.of(); // Anywhere: a rule without peers; Nowhere: a rule with none left, which is left out
        }
        throw new AssertionError(peer);
    }

    /** The pods a ClusterNetworkPolicy applies to. */
    private static GroupSelector subjectGroup(ClusterPolicySubject s) {
        if (s instanceof ClusterPolicySubject.Namespaces n) {
            return GroupSelector.acrossNamespaces(n.namespaceSelector(), LabelSelector.all());
        } else if (s instanceof ClusterPolicySubject.Pods p) {
            return GroupSelector.acrossNamespaces(p.namespaceSelector(), p.podSelector());
        }
        throw new AssertionError(s);
    }

    /** The canonical group of a pod peer written in a policy of namespace {@code policyNamespace}. */
    public static GroupSelector groupOf(String policyNamespace, Peer.Pods pods) {
        return pods.namespaceSelector() == null
                ? GroupSelector.inNamespace(policyNamespace, pods.podSelector())
                : GroupSelector.acrossNamespaces(pods.namespaceSelector(), pods.podSelector());
    }
}
