package dev.weir.graph;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.Peer;
import dev.weir.model.PolicyType;
import dev.weir.model.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Compiles a cluster snapshot into a {@link PolicyGraph}. Pure: no I/O, no clock, no logging.
 *
 * <p>Cost: the snapshot arrives sorted, so the graph's sorted maps are built in linear time; each distinct selector
 * is hashed to its id once and evaluated once through a label index ({@link SelectorIndex}); each endpoint's key
 * string is made once and shared by every group listing it.
 */
public final class PolicyCompiler {

    private PolicyCompiler() {
    }

    public static PolicyGraph compile(ClusterSnapshot snapshot) {
        TreeMap<String, Namespace> namespaces = SortedEntries.treeMap(snapshot.namespaces(), Namespace::name);
        TreeMap<String, Endpoint> endpoints = SortedEntries.treeMap(snapshot.endpoints(),
                e -> e.key().namespacedName());
        TreeMap<String, Node> nodes = SortedEntries.treeMap(snapshot.nodes(), Node::name);

        Map<GroupSelector, String> groupIds = new HashMap<>();
        Map<Peer.IpBlock, String> blockIds = new HashMap<>();
        Map<String, GroupSelector> selectors = new LinkedHashMap<>();
        Map<String, IpBlockSet> blocks = new TreeMap<>();
        Function<GroupSelector, String> groupId = s -> groupIds.computeIfAbsent(s, x -> {
            String id = x.id();
            selectors.put(id, x);
            return id;
        });
        Function<Peer.IpBlock, String> blockId = b -> blockIds.computeIfAbsent(b, x -> {
            IpBlockSet set = new IpBlockSet(x);
            String id = set.id();
            blocks.put(id, set);
            return id;
        });
        Map<String, LabelSelector> nodeSelectors = new TreeMap<>();
        Function<LabelSelector, String> nodeGroupId = s -> {
            String id = NodeGroup.idOf(s);
            nodeSelectors.putIfAbsent(id, s);
            return id;
        };
        List<CompiledPolicy> compiled = new ArrayList<>(snapshot.policies().size());
        for (NetworkPolicy p : snapshot.policies()) {
            compiled.add(compilePolicy(p, groupId, blockId));
        }
        TreeMap<String, CompiledPolicy> policies = SortedEntries.treeMap(compiled, CompiledPolicy::key);
        TreeMap<String, CompiledClusterPolicy> clusterPolicies = new TreeMap<>();
        for (ClusterPolicy p : snapshot.clusterPolicies()) {
            clusterPolicies.put(p.name(), ClusterPolicyCompiler.compile(p, groupId, blockId, nodeGroupId));
        }

        SelectorIndex index = new SelectorIndex(namespaces.values(), endpoints);
        Map<String, PeerGroup> groups = new TreeMap<>();
        selectors.forEach((id, s) -> groups.put(id, new PeerGroup(s, index.select(s))));
        // few distinct node selectors and at most thousands of nodes: a plain scan per selector
        Map<String, NodeGroup> nodeGroups = new TreeMap<>();
        nodeSelectors.forEach((id, s) -> nodeGroups.put(id, new NodeGroup(s, nodes.values().stream()
                .filter(n -> s.matches(n.labels())).map(Node::name).toList())));

        // policies iterate in key order, so each endpoint's lists come out sorted
        Map<String, List<String>> ingress = new HashMap<>();
        Map<String, List<String>> egress = new HashMap<>();
        for (CompiledPolicy cp : policies.values()) {
            boolean in = cp.affects(PolicyType.INGRESS);
            boolean out = cp.affects(PolicyType.EGRESS);
            for (String member : groups.get(groupIds.get(cp.appliedTo())).members()) {
                if (in) {
                    ingress.computeIfAbsent(member, k -> new ArrayList<>()).add(cp.key());
                }
                if (out) {
                    egress.computeIfAbsent(member, k -> new ArrayList<>()).add(cp.key());
                }
            }
        }
        List<Map.Entry<String, EndpointPolicies>> selected = new ArrayList<>();
        for (String key : endpoints.keySet()) {
            List<String> in = ingress.get(key);
            List<String> out = egress.get(key);
            if (in != null || out != null) {
                selected.add(Map.entry(key, new EndpointPolicies(in == null ? List.of() : in,
                        out == null ? List.of() : out)));
            }
        }
        TreeMap<String, EndpointPolicies> endpointPolicies = new TreeMap<>();
        SortedEntries.treeMap(selected, Map.Entry::getKey).forEach((k, e) -> endpointPolicies.put(k, e.getValue()));
        return new PolicyGraph(namespaces, endpoints, policies, groups, blocks, endpointPolicies, List.of(),
                clusterPolicies, endpointClusterPolicies(clusterPolicies, groups), nodes, nodeGroups);
    }

    /** For every endpoint some cluster policy selects: the policy names per direction, in evaluation order. */
    private static Map<String, EndpointClusterPolicies> endpointClusterPolicies(
            Map<String, CompiledClusterPolicy> clusterPolicies, Map<String, PeerGroup> groups) {
        List<CompiledClusterPolicy> ordered = clusterPolicies.values().stream()
                .sorted(CompiledClusterPolicy.PRECEDENCE).toList();
        Map<String, List<String>> ingress = new HashMap<>();
        Map<String, List<String>> egress = new HashMap<>();
        for (CompiledClusterPolicy cp : ordered) {
            for (String member : groups.get(cp.subject().id()).members()) {
                if (cp.affects(PolicyType.INGRESS)) {
                    ingress.computeIfAbsent(member, k -> new ArrayList<>()).add(cp.name());
                }
                if (cp.affects(PolicyType.EGRESS)) {
                    egress.computeIfAbsent(member, k -> new ArrayList<>()).add(cp.name());
                }
            }
        }
        Map<String, EndpointClusterPolicies> out = new TreeMap<>();
        for (String key : union(ingress.keySet(), egress.keySet())) {
            out.put(key, new EndpointClusterPolicies(ingress.getOrDefault(key, List.of()),
                    egress.getOrDefault(key, List.of())));
        }
        return out;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> out = new java.util.TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    /** Compiles one policy; its group and set references are content ids, independent of any cluster state. */
    public static CompiledPolicy compilePolicy(NetworkPolicy p) {
        return compilePolicy(p, GroupSelector::id, b -> new IpBlockSet(b).id());
    }

    /** Compiles one policy, naming groups and sets through the given id functions (which may memoize or record). */
    static CompiledPolicy compilePolicy(NetworkPolicy p, Function<GroupSelector, String> groupId,
            Function<Peer.IpBlock, String> blockId) {
        GroupSelector appliedTo = GroupSelector.inNamespace(p.namespace(), p.podSelector());
        groupId.apply(appliedTo);
        List<CompiledRule> ingress = compileRules(p, PolicyType.INGRESS, groupId, blockId);
        List<CompiledRule> egress = compileRules(p, PolicyType.EGRESS, groupId, blockId);
        return new CompiledPolicy(p, appliedTo, p.policyTypes(), ingress, egress);
    }

    private static List<CompiledRule> compileRules(NetworkPolicy p, PolicyType type,
            Function<GroupSelector, String> groupId, Function<Peer.IpBlock, String> blockId) {
        List<CompiledRule> out = new ArrayList<>();
        List<Rule> rules = p.rules(type);
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            List<PeerRef> refs = new ArrayList<>();
            for (Peer peer : r.peers()) {
                if (peer instanceof Peer.Pods pods) {
                    refs.add(new PeerRef.Group(groupId.apply(groupOf(p.namespace(), pods))));
                } else if (peer instanceof Peer.IpBlock b) {
                    refs.add(new PeerRef.Block(blockId.apply(b)));
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
}
