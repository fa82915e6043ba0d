package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Namespace;
import dev.weir.model.Node;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The normalized policy graph: shared pod groups (keyed by canonical selector), ipBlock sets, node groups (of
 * ClusterNetworkPolicy {@code nodes} peers), compiled policies, and for every selected endpoint its ordered ingress
 * and egress policy lists. Immutable; every map iterates in key order,
 * so everything derived from a graph is deterministic. Both the dataplane renderer and {@link Reachability} read it.
 */
public final class PolicyGraph {

    private final SortedMap<String, Namespace> namespaces;
    private final SortedMap<String, Endpoint> endpoints;
    private final SortedMap<String, Displacement> displaced;
    private final SortedMap<String, Node> nodes;
    private final SortedMap<String, CompiledPolicy> policies;
    private final SortedMap<String, PeerGroup> groups;
    private final SortedMap<String, IpBlockSet> ipBlockSets;
    private final SortedMap<String, NodeGroup> nodeGroups;
    private final SortedMap<String, EndpointPolicies> endpointPolicies;
    private final Map<String, List<Endpoint>> byNode;

    /**
     * Built by {@link IncrementalGraph#graph()} only: namespaces, endpoints ({@code ns/name}, as policy sees them),
     * the pods that lost addresses to newer pods (by endpoint key) and nodes by name; compiled policies of every tier
     * by {@link CompiledPolicy#key}; pod groups, ipBlock sets and node groups by id; and for every endpoint some policy
     * selects, its policy keys per direction in evaluation order; and the endpoints of each node in key order (those
     * of {@code endpoints} with a node, as {@link EndpointsByNode} keeps them).
     */
    PolicyGraph(Map<String, Namespace> namespaces, Map<String, Endpoint> endpoints,
            Map<String, Displacement> displaced, Map<String, Node> nodes, Map<String, CompiledPolicy> policies,
            Map<String, PeerGroup> groups, Map<String, IpBlockSet> ipBlockSets, Map<String, NodeGroup> nodeGroups,
            Map<String, EndpointPolicies> endpointPolicies, Map<String, List<Endpoint>> endpointsByNode) {
        this.namespaces = frozen(namespaces);
        this.endpoints = frozen(endpoints);
        this.displaced = frozen(displaced);
        this.nodes = frozen(nodes);
        this.policies = frozen(policies);
        this.groups = frozen(groups);
        this.ipBlockSets = frozen(ipBlockSets);
        this.nodeGroups = frozen(nodeGroups);
        this.endpointPolicies = frozen(endpointPolicies);
        this.byNode = endpointsByNode;
    }

    /** As an immutable sorted-array map: a snapshot of the incremental graph's maps is one already, shared as is. */
    private static <V> SortedMap<String, V> frozen(Map<String, V> m) {
        return SortedArrayMap.copyOf(m);
    }

    public SortedMap<String, Namespace> namespaces() {
        return namespaces;
    }

    /**
     * Every pod, eligible or not, as policy sees it: a pod that claims an address a newer pod holds is here without
     * that address (see {@link #displaced()}), so everything that reads addresses from these records (peer sets,
     * dispatch, {@link Reachability}) gives each address to one pod only.
     */
    public SortedMap<String, Endpoint> endpoints() {
        return endpoints;
    }

    /** The pod with this key as policy sees it (see {@link #endpoints()}); null when there is none. */
    public Endpoint endpoint(String key) {
        return endpoints.get(key);
    }

    /**
     * The pods that lost addresses to newer pods claiming the same ones, by endpoint key (docs/model.md, "One address,
     * one pod"); empty on a cluster where no two live pods share an address.
     */
    public SortedMap<String, Displacement> displaced() {
        return displaced;
    }

    /**
     * The pod with this key as the cluster reported it, with every address it claims: {@link #endpoint} unless the
     * pod is {@linkplain #displaced() displaced}; null when there is none.
     */
    public Endpoint reportedEndpoint(String key) {
        Displacement d = displaced.get(key);
        return d != null ? d.reported() : endpoints.get(key);
    }

    /** Compiled policies of every tier (NetworkPolicies and ClusterNetworkPolicies) by {@link CompiledPolicy#key}. */
    public SortedMap<String, CompiledPolicy> policies() {
        return policies;
    }

    public CompiledPolicy policy(String key) {
        return policies.get(key);
    }

    /** Every pod group: the peer groups of all rules and the applied-to groups of all policies. */
    public SortedMap<String, PeerGroup> groups() {
        return groups;
    }

    public PeerGroup group(String id) {
        PeerGroup g = groups.get(id);
        if (g == null) {
            throw new IllegalArgumentException("no group " + id + " in this graph");
        }
        return g;
    }

    public SortedMap<String, IpBlockSet> ipBlockSets() {
        return ipBlockSets;
    }

    public IpBlockSet ipBlockSet(String id) {
        IpBlockSet s = ipBlockSets.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no ipBlock set " + id + " in this graph");
        }
        return s;
    }

    /** Node objects by name. */
    public SortedMap<String, Node> nodes() {
        return nodes;
    }

    public Node node(String name) {
        return nodes.get(name);
    }

    /** The node groups of {@code nodes} peers, by id. */
    public SortedMap<String, NodeGroup> nodeGroups() {
        return nodeGroups;
    }

    public NodeGroup nodeGroup(String id) {
        NodeGroup g = nodeGroups.get(id);
        if (g == null) {
            throw new IllegalArgumentException("no node group " + id + " in this graph");
        }
        return g;
    }

    /** The members of a node group as nodes, in name order. */
    public List<Node> nodeMembers(String nodeGroupId) {
        List<Node> out = new ArrayList<>();
        for (String name : nodeGroup(nodeGroupId).members()) {
            out.add(nodes.get(name));
        }
        return out;
    }

    /** The names of the nodes that list {@code address} in their {@code status.addresses}, in name order. */
    public List<String> nodesWithAddress(IpAddress address) {
        return nodesByAddress().getOrDefault(address, List.of());
    }

    /**
     * The member of a node group that has {@code address} among its {@code status.addresses}, if any (the first by
     * name when nodes share an address): what a {@code nodes} peer matches.
     *
     * @throws IllegalArgumentException when the graph has no such node group
     */
    public java.util.Optional<String> nodeGroupHolds(String nodeGroupId, IpAddress address) {
        NodeGroup g = nodeGroup(nodeGroupId);
        for (String name : nodesWithAddress(address)) {
            if (g.contains(name)) {
                return java.util.Optional.of(name);
            }
        }
        return java.util.Optional.empty();
    }

    /** The members of a group as endpoints, in key order. */
    public List<Endpoint> members(String groupId) {
        List<Endpoint> out = new ArrayList<>();
        for (String key : group(groupId).members()) {
            out.add(endpoints.get(key));
        }
        return out;
    }

    /**
     * The policies of every tier selecting an endpoint, per direction, as keys in evaluation order (empty lists when
     * none select it).
     */
    public EndpointPolicies policiesFor(String endpointKey) {
        return endpointPolicies.getOrDefault(endpointKey, EndpointPolicies.none());
    }

    /** Whether the dataplane judges an endpoint at all: some policy of some tier selects it in some direction. */
    public boolean isJudged(String endpointKey) {
        return endpointPolicies.containsKey(endpointKey);
    }

    /** Only the endpoints some policy selects, keyed by endpoint key. */
    public SortedMap<String, EndpointPolicies> endpointPolicies() {
        return endpointPolicies;
    }

    /**
     * Whether an endpoint is a member of a group: O(log n), for evaluators that ask per packet.
     *
     * @throws IllegalArgumentException when the graph has no such group
     */
    public boolean isMember(String groupId, String endpointKey) {
        return group(groupId).contains(endpointKey);
    }

    /** Endpoints scheduled on {@code node}, in key order. */
    public List<Endpoint> endpointsOn(String node) {
        return byNode.getOrDefault(node, List.of());
    }

    /**
     * The nodes that need a group, ipBlock set or node group: those hosting an endpoint selected by a policy that references it
     * (as a peer of a rule in an affected direction, or as the group it applies to). Empty for an unknown id.
     */
    public SortedSet<String> span(String groupOrSetId) {
        return spans().getOrDefault(groupOrSetId, Collections.emptySortedSet());
    }

    // Derived indexes, built on first use: a pure function of the immutable fields above, so a race only builds twice.
    private volatile Map<String, SortedSet<String>> spans;
    private volatile Map<IpAddress, List<String>> nodesByAddress;

    private Map<IpAddress, List<String>> nodesByAddress() {
        Map<IpAddress, List<String>> m = nodesByAddress;
        if (m == null) {
            Map<IpAddress, List<String>> built = new HashMap<>();
            for (Node n : nodes.values()) { // name order, so each list is in name order
                for (IpAddress a : n.addresses()) {
                    built.computeIfAbsent(a, k -> new ArrayList<>()).add(n.name());
                }
            }
            built.replaceAll((k, v) -> List.copyOf(v));
            nodesByAddress = m = built;
        }
        return m;
    }

    private Map<String, SortedSet<String>> spans() {
        Map<String, SortedSet<String>> m = spans;
        if (m == null) {
            Map<String, SortedSet<String>> built = new HashMap<>();
            for (CompiledPolicy p : policies.values()) {
                SortedSet<String> nodes = new TreeSet<>();
                PeerGroup applied = groups.get(p.appliedTo().id());
                for (String member : applied == null ? List.<String>of() : applied.members()) {
                    Endpoint e = endpoints.get(member);
                    if (e != null && e.node() != null) {
                        nodes.add(e.node());
                    }
                }
                built.computeIfAbsent(p.appliedTo().id(), k -> new TreeSet<>()).addAll(nodes);
                for (PolicyType t : p.types()) {
                    for (CompiledRule r : p.rules(t)) {
                        for (PeerRef ref : r.peers()) {
                            built.computeIfAbsent(ref.id(), k -> new TreeSet<>()).addAll(nodes);
                        }
                    }
                }
            }
            built.replaceAll((k, v) -> Collections.unmodifiableSortedSet(v));
            spans = m = built;
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyGraph g && namespaces.equals(g.namespaces) && endpoints.equals(g.endpoints)
                && displaced.equals(g.displaced)
                && nodes.equals(g.nodes) && policies.equals(g.policies) && groups.equals(g.groups)
                && ipBlockSets.equals(g.ipBlockSets) && nodeGroups.equals(g.nodeGroups)
                && endpointPolicies.equals(g.endpointPolicies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespaces, endpoints, nodes, policies, groups, ipBlockSets, nodeGroups);
    }

    @Override
    public String toString() {
        return "PolicyGraph[" + namespaces.size() + " namespaces, " + endpoints.size() + " endpoints, "
                + policies.size() + " policies, " + groups.size() + " groups, " + ipBlockSets.size()
                + " ipBlock sets, " + endpointPolicies.size() + " selected endpoints"
                + (nodes.isEmpty() ? "" : ", " + nodes.size() + " nodes")
                + (nodeGroups.isEmpty() ? "" : ", " + nodeGroups.size() + " node groups")
                + (displaced.isEmpty() ? "" : ", " + displaced.size() + " displaced pods") + "]";
    }
}
