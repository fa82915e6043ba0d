package dev.weir.graph;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.LabelSelector;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles one ClusterNetworkPolicy: subject and pod peers become shared {@link GroupSelector}s (always
 * cross-namespace: the policy has no namespace of its own), each {@code networks} CIDR an {@link IpBlockSet} without
 * excepts, each {@code nodes} selector a shared {@link NodeGroup}. Pure.
 *
 * <p>{@link ClusterPolicyPeer.Anywhere} (the translator's stand-in for a peer it cannot read, which only a Deny-all
 * rule holds) compiles to a rule without peers: every address.
 */
public final class ClusterPolicyCompiler {

    private ClusterPolicyCompiler() {
    }

    /** Compiles with content ids (no memo). */
    public static CompiledClusterPolicy compile(ClusterPolicy p) {
        return compile(p, GroupSelector::id, b -> new IpBlockSet(b).id(), NodeGroup::idOf);
    }

    static CompiledClusterPolicy compile(ClusterPolicy p, Function<GroupSelector, String> groupId,
            Function<Peer.IpBlock, String> blockId, Function<LabelSelector, String> nodeGroupId) {
        GroupSelector subject = subjectGroup(p.subject());
        // every group and set the policy names is registered, used or not, as IncrementalGraph references them
        groups(p).forEach(groupId::apply);
        blocks(p).forEach(blockId::apply);
        nodeSelectors(p).forEach(nodeGroupId::apply);
        Naming ids = new Naming(groupId, blockId, nodeGroupId);
        return new CompiledClusterPolicy(p, subject, rules(p, PolicyType.INGRESS, ids),
                rules(p, PolicyType.EGRESS, ids));
    }

    /** How one compile names groups, sets and node groups. */
    private record Naming(Function<GroupSelector, String> group, Function<Peer.IpBlock, String> block,
            Function<LabelSelector, String> nodeGroup) {
    }

    public static GroupSelector subjectGroup(ClusterPolicySubject s) {
        if (s instanceof ClusterPolicySubject.Namespaces n) {
            return GroupSelector.acrossNamespaces(n.namespaceSelector(), LabelSelector.all());
        } else if (s instanceof ClusterPolicySubject.Pods p) {
            return GroupSelector.acrossNamespaces(p.namespaceSelector(), p.podSelector());
        }
        throw new AssertionError(s);
    }

    /** Every group a policy references (subject first), for reference counting. */
    static List<GroupSelector> groups(ClusterPolicy p) {
        Set<GroupSelector> out = new LinkedHashSet<>();
        out.add(subjectGroup(p.subject()));
        for (PolicyType t : PolicyType.values()) {
            for (ClusterPolicyRule r : p.rules(t)) {
                for (ClusterPolicyPeer peer : r.peers()) {
                    GroupSelector g = peerGroup(peer);
                    if (g != null) {
                        out.add(g);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every ipBlock set a policy references, for reference counting. */
    static List<Peer.IpBlock> blocks(ClusterPolicy p) {
        Set<Peer.IpBlock> out = new LinkedHashSet<>();
        for (PolicyType t : PolicyType.values()) {
            for (ClusterPolicyRule r : p.rules(t)) {
                for (ClusterPolicyPeer peer : r.peers()) {
                    if (peer instanceof ClusterPolicyPeer.Networks n) {
                        n.cidrs().forEach(c -> out.add(new Peer.IpBlock(c, List.of())));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every node selector a policy's {@code nodes} peers use, for reference counting. */
    static List<LabelSelector> nodeSelectors(ClusterPolicy p) {
        Set<LabelSelector> out = new LinkedHashSet<>();
        for (ClusterPolicyRule r : p.egress()) {
            for (ClusterPolicyPeer peer : r.peers()) {
                if (peer instanceof ClusterPolicyPeer.Nodes n) {
                    out.add(n.nodeSelector());
                }
            }
        }
        return List.copyOf(out);
    }

    private static GroupSelector peerGroup(ClusterPolicyPeer peer) {
        if (peer instanceof ClusterPolicyPeer.Namespaces n) {
            return GroupSelector.acrossNamespaces(n.namespaceSelector(), LabelSelector.all());
        } else if (peer instanceof ClusterPolicyPeer.Pods p) {
            return GroupSelector.acrossNamespaces(p.namespaceSelector(), p.podSelector());
        }
        return null;
    }

    private static List<CompiledClusterRule> rules(ClusterPolicy p, PolicyType type, Naming ids) {
        List<CompiledClusterRule> out = new ArrayList<>();
        List<ClusterPolicyRule> rules = p.rules(type);
        for (int i = 0; i < rules.size(); i++) {
            ClusterPolicyRule r = rules.get(i);
            boolean anywhere = false;
            Set<PeerRef> refs = new LinkedHashSet<>();
            for (ClusterPolicyPeer peer : r.peers()) {
                GroupSelector g = peerGroup(peer);
                if (g != null) {
                    refs.add(new PeerRef.Group(ids.group().apply(g)));
                } else if (peer instanceof ClusterPolicyPeer.Networks n) {
                    n.cidrs().forEach(c -> refs.add(new PeerRef.Block(ids.block().apply(new Peer.IpBlock(c,
                            List.of())))));
                } else if (peer instanceof ClusterPolicyPeer.Nodes n) {
                    refs.add(new PeerRef.Nodes(ids.nodeGroup().apply(n.nodeSelector())));
                } else if (peer instanceof ClusterPolicyPeer.Anywhere) {
                    anywhere = true;
                } else {
                    throw new AssertionError(peer);
                }
            }
            if (anywhere) {
                out.add(new CompiledClusterRule(type, i, r.name(), r.action(), List.of(), r.ports()));
            } else if (!refs.isEmpty()) {
                out.add(new CompiledClusterRule(type, i, r.name(), r.action(), List.copyOf(refs), r.ports()));
            }
        }
        return out;
    }
}
