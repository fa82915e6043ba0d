package dev.weir.iptables.render;

import dev.weir.graph.CompiledPolicy;
import dev.weir.graph.Decision;
import dev.weir.graph.EndpointPolicies;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.PolicyTier;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.Comparator;
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
 * FORWARD → WEIR-FORWARD ─┬─ WEIR-EGRESS  (-s local pod) → WEIR-EE-… → WEIR-CE-… (Admin), the NetworkPolicies'
 *                         │                                          rules merged per port, WEIR-CE-… (Baseline)
 *                         └─ WEIR-INGRESS (-d local pod) → WEIR-EI-… → WEIR-CI-…, NetworkPolicy rules, WEIR-CI-…
 * INPUT   → WEIR-INPUT   ─── WEIR-EGRESS
 * OUTPUT  → WEIR-OUTPUT  (the node may always reach its pods)
 * </pre>
 *
 * An established connection whose first packet weir judged and allowed is accepted near the top of
 * {@code WEIR-FORWARD}, after the anti-spoofing chains, by the conntrack mark {@link RenderOptions#connMark()}.
 * Past 8 local pods the dispatch chains and {@code WEIR-FROM-POD} are trees ({@link DispatchTree},
 * {@link InterfaceTree}), so a packet meets O(log pods) rules before its pod's chain.
 * Only packets from or to a local pod that some NetworkPolicy or ClusterNetworkPolicy selects are judged (the seen mark); the others RETURN with
 * their mark bits cleared and nothing else changed. Each drop may be preceded by a rate-limited NFLOG rule whose prefix
 * names its decision ({@link DenialLogRules}, {@link Ruleset#decisions()}).
 */
public final class IptablesRenderer {

    /** ICMPv6 neighbour solicitation and advertisement (RFC 4861), as ip6tables-save prints their types. */
    private static final List<String> NEIGHBOUR_DISCOVERY = List.of("135", "136");

    private IptablesRenderer() {
    }

    public static Ruleset render(PolicyGraph graph, String node, RenderOptions options) {
        return render(graph, node, options, LocalNetwork.none());
    }

    /**
     * The node's ruleset with what its agent knows of the node itself: each local pod's interface (anti-spoofing and
     * interface-bound dispatch, and the bridge table's layer-2 checks of bridge-port pods, {@link BridgeRules}) and
     * whether unprogrammed local addresses are dropped ({@code docs/dataplane.md}).
     */
    public static Ruleset render(PolicyGraph graph, String node, RenderOptions options, LocalNetwork localNetwork) {
        return render(graph, node, options, localNetwork, SetMemo.none());
    }

    /**
     * As above, taking each pod and node group set from {@code memo} when the graph holds the same group snapshot the
     * last render with it built that set from ({@link SetMemo}): the agent renders its node after every batch of
     * events, and most of them leave most sets as they were. The ruleset is equal to one rendered without a memo.
     */
    public static Ruleset render(PolicyGraph graph, String node, RenderOptions options, LocalNetwork localNetwork,
            SetMemo memo) {
        Objects.requireNonNull(localNetwork, "localNetwork");
        Objects.requireNonNull(memo, "memo");
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(options, "options");
        List<Endpoint> live = new ArrayList<>();
        List<Endpoint> local = new ArrayList<>();
        for (Endpoint e : graph.endpointsOn(node)) {
            if (e.isPolicyEndpoint()) {
                live.add(e);
                if (graph.isJudged(e.key().namespacedName())) {
                    local.add(e);
                }
            }
        }
        live.sort(Comparator.comparing(Endpoint::key));
        SetCatalog sets = new SetCatalog(graph, node, memo);
        DenialLogRules log = new DenialLogRules(options.denialLog(), graph, sets, local);
        PodGuardChains guards = new PodGuardChains(localNetwork, live, log);
        FamilyRuleset v4 = family(graph, local, IpFamily.V4, sets, options, guards, log);
        boolean anyV6 = local.stream().anyMatch(e -> e.ip(IpFamily.V6).isPresent()) || guards.rendered(IpFamily.V6);
        FamilyRuleset v6 = anyV6 ? family(graph, local, IpFamily.V6, sets, options, guards, log)
                : new FamilyRuleset(IpFamily.V6, List.of(), List.of());
        Ruleset ruleset = new Ruleset(node, List.copyOf(sets.sets()), v4, v6,
                BridgeRules.render(graph, node, localNetwork), log.decisions());
        sets.done();
        return ruleset;
    }

    public static Ruleset render(PolicyGraph graph, String node) {
        return render(graph, node, RenderOptions.defaults());
    }

    private static FamilyRuleset family(PolicyGraph graph, List<Endpoint> local, IpFamily family, SetCatalog sets,
            RenderOptions options, PodGuardChains guards, DenialLogRules log) {
        SortedMap<String, List<IptablesRule>> chains = new TreeMap<>();
        BaseChains base = new BaseChains(options);
        List<IptablesRule> forward = new ArrayList<>();
        List<IptablesRule> input = new ArrayList<>();
        if (guards.rendered(family)) {
            DispatchTree.Tree fromPod = guards.fromPod(family);
            chains.put(Names.FROM_POD, fromPod.root());
            chains.putAll(fromPod.branches());
            forward.add(IptablesRule.of("forward", "", Names.FROM_POD));
            input.add(IptablesRule.of("input", "", Names.FROM_POD));
            if (guards.failClosed(family)) {
                chains.put(Names.TO_POD, guards.toPod(family));
                forward.add(IptablesRule.of("forward", "", Names.TO_POD));
            }
        }
        if (family == IpFamily.V6) {
            // neighbour discovery is how IPv6 finds a next hop (ARP's part), not traffic a policy speaks of: an
            // isolated pod whose solicitations or advertisements were judged could answer nobody, not even the peers
            // its policies allow. After the anti-spoofing chains, so a pod still solicits only with its own addresses
            for (String type : NEIGHBOUR_DISCOVERY) {
                forward.add(IptablesRule.of("neighbour-discovery", "-p ipv6-icmp -m icmp6 --icmpv6-type " + type,
                        "RETURN"));
                input.add(IptablesRule.of("neighbour-discovery", "-p ipv6-icmp -m icmp6 --icmpv6-type " + type,
                        "RETURN"));
            }
        }
        // the established-flow fast path only where some local pod is judged in this family: else no mark is ever set
        forward.addAll(base.forward(local.stream().anyMatch(e -> e.ip(family).isPresent())));
        input.addAll(base.input());
        chains.put(Names.FORWARD, forward);
        chains.put(Names.INPUT, input);
        chains.put(Names.OUTPUT, base.output());
        PolicyChainRenderer policies = new PolicyChainRenderer(graph, sets, options, log);
        List<DispatchTree.Entry> egressDispatch = new ArrayList<>();
        List<DispatchTree.Entry> ingressDispatch = new ArrayList<>();
        // every policy chain an endpoint chain jumps to: its policy and direction
        SortedMap<String, Map.Entry<CompiledPolicy, PolicyType>> policyChains = new TreeMap<>();
        for (Endpoint e : local) {
            Optional<IpAddress> ip = e.ip(family);
            if (ip.isEmpty()) {
                continue;
            }
            EndpointPolicies ep = graph.policiesFor(e.key().namespacedName());
            for (PolicyType direction : PolicyType.values()) {
                List<CompiledPolicy> ordered = ep.policies(direction).stream().map(graph::policy).toList();
                if (ordered.isEmpty()) {
                    continue;
                }
                List<String> admin = names(ordered, PolicyTier.ADMIN);
                List<String> keys = names(ordered, PolicyTier.NETWORK_POLICY);
                List<String> baseline = names(ordered, PolicyTier.BASELINE);
                String chain = Names.endpointChain(direction, chainContent(admin, keys, baseline));
                String cidr = PodGuardChains.host(ip.get());
                // egress is bound to the pod's interface when it is known, so no other pod is judged as this one
                String match = direction == PolicyType.EGRESS
                        ? "-s " + cidr + guards.boundTo(e).map(m -> " " + m).orElse("")
                        : "-d " + cidr;
                (direction == PolicyType.EGRESS ? egressDispatch : ingressDispatch).add(new DispatchTree.Entry(
                        ip.get(), IptablesRule.of("pod:" + e.key().namespacedName(), match, chain)));
                if (!chains.containsKey(chain)) {
                    // NetworkPolicies are namespaced: a chain isolated by some holds pods of one namespace only
                    List<ObjectKey> isolating = ordered.stream()
                            .filter(p -> p.tier() == PolicyTier.NETWORK_POLICY).map(p -> p.source().key()).toList();
                    Optional<IptablesRule> denyLog = isolating.isEmpty() ? Optional.empty()
                            : log.forNamespace(direction == PolicyType.INGRESS ? "ingress" : "egress", "", Decision.defaultDeny(direction, isolating),
                                    e.namespace());
                    List<IptablesRule> networkPolicies = policies.networkPolicyTier(ordered.stream()
                            .filter(p -> p.tier() == PolicyTier.NETWORK_POLICY).toList(), direction, family);
                    chains.put(chain, base.endpoint(direction, admin, keys, networkPolicies, baseline, denyLog));
                    for (CompiledPolicy p : ordered) {
                        // NetworkPolicies are merged into the endpoint chain; the Baseline tier is never reached
                        // when NetworkPolicy isolates the pod
                        if (p.tier() == PolicyTier.ADMIN || (p.tier() == PolicyTier.BASELINE && keys.isEmpty())) {
                            policyChains.put(chainOf(p, direction), Map.entry(p, direction));
                        }
                    }
                }
            }
        }
        for (PolicyType direction : PolicyType.values()) {
            DispatchTree.Tree tree = DispatchTree.of(direction,
                    direction == PolicyType.EGRESS ? egressDispatch : ingressDispatch);
            chains.put(direction == PolicyType.EGRESS ? Names.EGRESS : Names.INGRESS, tree.root());
            chains.putAll(tree.branches());
        }
        policyChains.forEach((chain, p) -> chains.put(chain, policies.render(p.getKey(), p.getValue(), family)));
        List<Chain> out = new ArrayList<>();
        chains.forEach((name, rules) -> out.add(new Chain(name, rules)));
        List<Hook> hooks = List.of(new Hook("FORWARD", Names.FORWARD), new Hook("INPUT", Names.INPUT),
                new Hook("OUTPUT", Names.OUTPUT));
        return new FamilyRuleset(family, hooks, out);
    }

    /**
     * What an endpoint chain is named after: the NetworkPolicy keys alone when no cluster policy applies (so those
     * names are what they always were), else the Admin names, the keys and the Baseline names, tagged apart.
     */
    private static List<String> chainContent(List<String> admin, List<String> keys, List<String> baseline) {
        if (admin.isEmpty() && baseline.isEmpty()) {
            return keys;
        }
        List<String> out = new ArrayList<>();
        admin.forEach(n -> out.add("admin:" + n));
        out.addAll(keys);
        baseline.forEach(n -> out.add("baseline:" + n));
        return out;
    }

    /**
     * The policies of one tier, as endpoint chains and their jumps name them: a NetworkPolicy by its key
     * ({@code ns/name}), a cluster policy by its name.
     */
    private static List<String> names(List<CompiledPolicy> ordered, PolicyTier tier) {
        return ordered.stream().filter(p -> p.tier() == tier)
                .map(p -> p.isClusterPolicy() ? p.name() : p.key()).toList();
    }

    private static String chainOf(CompiledPolicy p, PolicyType direction) {
        return p.isClusterPolicy() ? Names.clusterPolicyChain(direction, p.name())
                : Names.policyChain(direction, p.key());
    }
}
