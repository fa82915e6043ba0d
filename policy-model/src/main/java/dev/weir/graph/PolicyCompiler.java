package dev.weir.graph;

import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Compiles a cluster snapshot into a {@link PolicyGraph}. Pure: no I/O, no clock, no logging. */
public final class PolicyCompiler {

    private PolicyCompiler() {
    }

    public static PolicyGraph compile(ClusterSnapshot snapshot) {
        Map<String, Namespace> namespaces = new TreeMap<>();
        snapshot.namespaces().forEach(n -> namespaces.put(n.name(), n));
        Map<String, Endpoint> endpoints = new TreeMap<>();
        snapshot.endpoints().forEach(e -> endpoints.put(e.key(), e));

        Map<String, GroupSelector> selectors = new LinkedHashMap<>();
        Map<String, IpBlockSet> blocks = new TreeMap<>();
        Map<String, CompiledPolicy> policies = new TreeMap<>();
        for (NetworkPolicy p : snapshot.policies()) {
            CompiledPolicy cp = compilePolicy(p);
            policies.put(cp.key(), cp);
            selectors.putIfAbsent(cp.appliedTo().id(), cp.appliedTo());
            for (PolicyType t : PolicyType.values()) {
                List<Rule> rules = p.rules(t);
                for (int i = 0; i < rules.size(); i++) {
                    for (Peer peer : rules.get(i).peers()) {
                        if (peer instanceof Peer.Pods pods) {
                            GroupSelector g = groupOf(p.namespace(), pods);
                            selectors.putIfAbsent(g.id(), g);
                        } else if (peer instanceof Peer.IpBlock b) {
                            IpBlockSet s = new IpBlockSet(b);
                            blocks.putIfAbsent(s.id(), s);
                        } else {
                            throw new AssertionError(peer);
                        }
                    }
                }
            }
        }

        SelectorIndex index = new SelectorIndex(namespaces.values(), endpoints.values());
        Map<String, PeerGroup> groups = new TreeMap<>();
        for (GroupSelector s : selectors.values()) {
            groups.put(s.id(), new PeerGroup(s, index.select(s)));
        }

        Map<String, List<String>> ingress = new HashMap<>();
        Map<String, List<String>> egress = new HashMap<>();
        for (CompiledPolicy cp : policies.values()) {
            for (String member : groups.get(cp.appliedTo().id()).members()) {
                if (cp.affects(PolicyType.INGRESS)) {
                    ingress.computeIfAbsent(member, k -> new ArrayList<>()).add(cp.key());
                }
                if (cp.affects(PolicyType.EGRESS)) {
                    egress.computeIfAbsent(member, k -> new ArrayList<>()).add(cp.key());
                }
            }
        }
        Map<String, EndpointPolicies> endpointPolicies = new TreeMap<>();
        for (String key : union(ingress.keySet(), egress.keySet())) {
            endpointPolicies.put(key, new EndpointPolicies(ingress.getOrDefault(key, List.of()),
                    egress.getOrDefault(key, List.of())));
        }
        return new PolicyGraph(namespaces, endpoints, policies, groups, blocks, endpointPolicies, List.of());
    }

    /** Compiles one policy; its group and set references are content ids, independent of any cluster state. */
    public static CompiledPolicy compilePolicy(NetworkPolicy p) {
        List<CompiledRule> ingress = compileRules(p, PolicyType.INGRESS);
        List<CompiledRule> egress = compileRules(p, PolicyType.EGRESS);
        return new CompiledPolicy(p, GroupSelector.inNamespace(p.namespace(), p.podSelector()), p.policyTypes(),
                ingress, egress);
    }

    private static List<CompiledRule> compileRules(NetworkPolicy p, PolicyType type) {
        List<CompiledRule> out = new ArrayList<>();
        List<Rule> rules = p.rules(type);
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            List<PeerRef> refs = new ArrayList<>();
            for (Peer peer : r.peers()) {
                if (peer instanceof Peer.Pods pods) {
                    refs.add(new PeerRef.Group(groupOf(p.namespace(), pods).id()));
                } else if (peer instanceof Peer.IpBlock b) {
                    refs.add(new PeerRef.Block(new IpBlockSet(b).id()));
                } else {
                    throw new AssertionError(peer);
                }
            }
            out.add(new CompiledRule(type, i, refs, r.ports()));
        }
        return out;
    }

    /** The canonical group of a pod peer written in a policy of namespace {@code policyNamespace}. */
    public static GroupSelector groupOf(String policyNamespace, Peer.Pods pods) {
        return pods.namespaceSelector() == null
                ? GroupSelector.inNamespace(policyNamespace, pods.podSelector())
                : GroupSelector.acrossNamespaces(pods.namespaceSelector(), pods.podSelector());
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.TreeSet<String> s = new java.util.TreeSet<>(a);
        s.addAll(b);
        return new ArrayList<>(s);
    }
}
