package dev.weir.iptables.render;

import dev.weir.graph.EndpointPolicies;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Renders the part of a {@link PolicyGraph} that one node enforces into a {@link Ruleset}. Pure and deterministic:
 * equal graphs give equal rulesets, and every list is in a fixed order. The layout (see {@code docs/dataplane.md}):
 *
 * <pre>
 * FORWARD → WEIR-FORWARD ─┬─ WEIR-EGRESS  (-s local pod) → WEIR-EE-… → WEIR-PE-… (one per policy)
 *                         └─ WEIR-INGRESS (-d local pod) → WEIR-EI-… → WEIR-PI-…
 * INPUT   → WEIR-INPUT   ─── WEIR-EGRESS
 * OUTPUT  → WEIR-OUTPUT  (the node may always reach its pods)
 * </pre>
 *
 * Only packets from or to a local pod that some policy isolates are judged (the seen mark); the others RETURN with
 * their mark bits cleared and nothing else changed.
 */
public final class IptablesRenderer {

    private IptablesRenderer() {
    }

    public static Ruleset render(PolicyGraph graph, String node, RenderOptions options) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(options, "options");
        List<Endpoint> local = new ArrayList<>();
        for (Endpoint e : graph.endpointsOn(node)) {
            if (e.isPolicyEndpoint() && graph.endpointPolicies().containsKey(e.key())) {
                local.add(e);
            }
        }
        SetCatalog sets = new SetCatalog(graph, node);
        FamilyRuleset v4 = family(graph, local, IpFamily.V4, sets, options);
        boolean anyV6 = local.stream().anyMatch(e -> e.ip(IpFamily.V6).isPresent());
        FamilyRuleset v6 = anyV6 ? family(graph, local, IpFamily.V6, sets, options)
                : new FamilyRuleset(IpFamily.V6, List.of(), List.of());
        return new Ruleset(node, List.copyOf(sets.sets()), v4, v6);
    }

    public static Ruleset render(PolicyGraph graph, String node) {
        return render(graph, node, RenderOptions.defaults());
    }

    private static FamilyRuleset family(PolicyGraph graph, List<Endpoint> local, IpFamily family, SetCatalog sets,
            RenderOptions options) {
        SortedMap<String, List<IptablesRule>> chains = new TreeMap<>();
        BaseChains base = new BaseChains(options);
        chains.put(Names.FORWARD, base.forward());
        chains.put(Names.INPUT, base.input());
        chains.put(Names.OUTPUT, base.output());
        List<IptablesRule> egressDispatch = new ArrayList<>();
        List<IptablesRule> ingressDispatch = new ArrayList<>();
        SortedMap<String, PolicyType> policyChains = new TreeMap<>();
        Map<String, String> policyOfChain = new TreeMap<>();
        for (Endpoint e : local) {
            Optional<IpAddress> ip = e.ip(family);
            if (ip.isEmpty()) {
                continue;
            }
            EndpointPolicies ep = graph.policiesFor(e.key());
            for (PolicyType direction : PolicyType.values()) {
                List<String> keys = ep.policies(direction);
                if (keys.isEmpty()) {
                    continue;
                }
                String chain = Names.endpointChain(direction, keys);
                String cidr = ip.get() + "/" + family.bits();
                String spec = (direction == PolicyType.EGRESS ? "-s " : "-d ") + cidr + " -j " + chain;
                (direction == PolicyType.EGRESS ? egressDispatch : ingressDispatch)
                        .add(IptablesRule.of("pod:" + e.key(), spec));
                if (!chains.containsKey(chain)) {
                    chains.put(chain, base.endpoint(direction, keys));
                    for (String key : keys) {
                        String pc = Names.policyChain(direction, key);
                        policyChains.put(pc, direction);
                        policyOfChain.put(pc, key);
                    }
                }
            }
        }
        chains.put(Names.EGRESS, egressDispatch);
        chains.put(Names.INGRESS, ingressDispatch);
        PolicyChainRenderer policies = new PolicyChainRenderer(graph, sets, options);
        for (Map.Entry<String, PolicyType> pc : policyChains.entrySet()) {
            chains.put(pc.getKey(), policies.render(graph.policy(policyOfChain.get(pc.getKey())), pc.getValue(), family));
        }
        List<Chain> out = new ArrayList<>();
        chains.forEach((name, rules) -> out.add(new Chain(name, rules)));
        List<Hook> hooks = List.of(new Hook("FORWARD", Names.FORWARD), new Hook("INPUT", Names.INPUT),
                new Hook("OUTPUT", Names.OUTPUT));
        return new FamilyRuleset(family, hooks, out);
    }
}
