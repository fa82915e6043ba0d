package dev.weir.graph;

import dev.weir.model.LabelSelector;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.admin.ClusterPolicy;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles one ClusterNetworkPolicy: subject and pod peers become shared {@link GroupSelector}s (always
 * cross-namespace: the policy has no namespace of its own), each {@code networks} CIDR an {@link IpBlockSet} without
 * excepts. Pure.
 *
 * <p>{@code nodes} peers are not enforced: they fail closed as the API prescribes for peers an implementation cannot
 * read (in an Accept rule the peer matches nothing; a Deny or Pass rule holding one becomes deny-all).
 */
public final class ClusterPolicyCompiler {

    private ClusterPolicyCompiler() {
    }

    /** Compiles with content ids (no memo). */
    public static CompiledClusterPolicy compile(ClusterPolicy p) {
        return compile(p, GroupSelector::id, b -> new IpBlockSet(b).id());
    }

    static CompiledClusterPolicy compile(ClusterPolicy p, Function<GroupSelector, String> groupId,
            Function<Peer.IpBlock, String> blockId) {
        GroupSelector subject = subjectGroup(p.subject());
        // every group and set the policy names is registered, used or not, as IncrementalGraph references them
        groups(p).forEach(groupId::apply);
        blocks(p).forEach(blockId::apply);
        return new CompiledClusterPolicy(p, subject, rules(p, PolicyType.INGRESS, groupId, blockId),
                rules(p, PolicyType.EGRESS, groupId, blockId));
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

    private static GroupSelector peerGroup(ClusterPolicyPeer peer) {
        if (peer instanceof ClusterPolicyPeer.Namespaces n) {
            return GroupSelector.acrossNamespaces(n.namespaceSelector(), LabelSelector.all());
        } else if (peer instanceof ClusterPolicyPeer.Pods p) {
            return GroupSelector.acrossNamespaces(p.namespaceSelector(), p.podSelector());
        }
        return null;
    }

    private static List<CompiledClusterRule> rules(ClusterPolicy p, PolicyType type,
            Function<GroupSelector, String> groupId, Function<Peer.IpBlock, String> blockId) {
        List<CompiledClusterRule> out = new ArrayList<>();
        List<ClusterPolicyRule> rules = p.rules(type);
        for (int i = 0; i < rules.size(); i++) {
            ClusterPolicyRule r = rules.get(i);
            boolean unreadable = r.peers().stream().anyMatch(x -> x instanceof ClusterPolicyPeer.Nodes);
            if (unreadable && r.action() != RuleAction.ACCEPT) {
                out.add(new CompiledClusterRule(type, i, r.name(), RuleAction.DENY, List.of(), List.of()));
                continue;
            }
            boolean anywhere = false;
            Set<PeerRef> refs = new LinkedHashSet<>();
            for (ClusterPolicyPeer peer : r.peers()) {
                GroupSelector g = peerGroup(peer);
                if (g != null) {
                    refs.add(new PeerRef.Group(groupId.apply(g)));
                } else if (peer instanceof ClusterPolicyPeer.Networks n) {
                    n.cidrs().forEach(c -> refs.add(new PeerRef.Block(blockId.apply(new Peer.IpBlock(c, List.of())))));
                } else if (peer instanceof ClusterPolicyPeer.Anywhere) {
                    anywhere = true;
                } else if (!(peer instanceof ClusterPolicyPeer.Nodes)) {
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
