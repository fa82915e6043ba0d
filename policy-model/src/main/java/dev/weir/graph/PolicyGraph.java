package dev.weir.graph;

import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The normalized policy graph: shared pod groups (keyed by canonical selector), ipBlock sets, compiled policies, and
 * for every selected endpoint its ordered ingress and egress policy lists. Immutable; every map iterates in key order,
 * so everything derived from a graph is deterministic. Both the dataplane renderer and {@link Reachability} read it.
 */
public final class PolicyGraph {

    private final SortedMap<String, Namespace> namespaces;
    private final SortedMap<String, Endpoint> endpoints;
    private final SortedMap<String, CompiledPolicy> policies;
    private final SortedMap<String, PeerGroup> groups;
    private final SortedMap<String, IpBlockSet> ipBlockSets;
    private final SortedMap<String, EndpointPolicies> endpointPolicies;
    private final List<Diagnostic> diagnostics;

    public PolicyGraph(Map<String, Namespace> namespaces, Map<String, Endpoint> endpoints,
            Map<String, CompiledPolicy> policies, Map<String, PeerGroup> groups, Map<String, IpBlockSet> ipBlockSets,
            Map<String, EndpointPolicies> endpointPolicies, List<Diagnostic> diagnostics) {
        this.namespaces = frozen(namespaces);
        this.endpoints = frozen(endpoints);
        this.policies = frozen(policies);
        this.groups = frozen(groups);
        this.ipBlockSets = frozen(ipBlockSets);
        this.endpointPolicies = frozen(endpointPolicies);
        this.diagnostics = diagnostics.stream().sorted().toList();
    }

    private static <V> SortedMap<String, V> frozen(Map<String, V> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }

    public SortedMap<String, Namespace> namespaces() {
        return namespaces;
    }

    public SortedMap<String, Endpoint> endpoints() {
        return endpoints;
    }

    public Endpoint endpoint(String key) {
        return endpoints.get(key);
    }

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

    /** The members of a group as endpoints, in key order. */
    public List<Endpoint> members(String groupId) {
        List<Endpoint> out = new ArrayList<>();
        for (String key : group(groupId).members()) {
            out.add(endpoints.get(key));
        }
        return out;
    }

    /** The policies selecting an endpoint (empty lists when none select it: it is not isolated). */
    public EndpointPolicies policiesFor(String endpointKey) {
        return endpointPolicies.getOrDefault(endpointKey, EndpointPolicies.none());
    }

    /** Only the endpoints some policy selects, keyed by endpoint key. */
    public SortedMap<String, EndpointPolicies> endpointPolicies() {
        return endpointPolicies;
    }

    /** Endpoints scheduled on {@code node}, in key order. */
    public List<Endpoint> endpointsOn(String node) {
        return endpoints.values().stream().filter(e -> node.equals(e.node())).toList();
    }

    /**
     * The nodes that need a group or ipBlock set: those hosting an endpoint selected by a policy that references it
     * (as a peer of a rule in an affected direction, or as the group it applies to).
     */
    public SortedSet<String> span(String groupOrSetId) {
        SortedSet<String> nodes = new TreeSet<>();
        for (CompiledPolicy p : policies.values()) {
            if (!references(p, groupOrSetId)) {
                continue;
            }
            for (String member : groups.get(p.appliedTo().id()).members()) {
                Endpoint e = endpoints.get(member);
                if (e.node() != null) {
                    nodes.add(e.node());
                }
            }
        }
        return nodes;
    }

    private static boolean references(CompiledPolicy p, String id) {
        if (p.appliedTo().id().equals(id)) {
            return true;
        }
        for (PolicyType t : p.types()) {
            for (CompiledRule r : p.rules(t)) {
                for (PeerRef ref : r.peers()) {
                    String refId = ref instanceof PeerRef.Group g ? g.groupId() : ((PeerRef.Block) ref).setId();
                    if (refId.equals(id)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyGraph g && namespaces.equals(g.namespaces) && endpoints.equals(g.endpoints)
                && policies.equals(g.policies) && groups.equals(g.groups) && ipBlockSets.equals(g.ipBlockSets)
                && endpointPolicies.equals(g.endpointPolicies) && diagnostics.equals(g.diagnostics);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespaces, endpoints, policies, groups, ipBlockSets, endpointPolicies);
    }

    @Override
    public String toString() {
        return "PolicyGraph[" + namespaces.size() + " namespaces, " + endpoints.size() + " endpoints, "
                + policies.size() + " policies, " + groups.size() + " groups, " + ipBlockSets.size()
                + " ipBlock sets, " + endpointPolicies.size() + " selected endpoints]";
    }
}
