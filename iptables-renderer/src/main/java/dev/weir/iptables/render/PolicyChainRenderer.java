package dev.weir.iptables.render;

import dev.weir.graph.CompiledPolicy;
import dev.weir.graph.CompiledRule;
import dev.weir.graph.Decision;
import dev.weir.graph.PeerRef;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.PolicyTier;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.IpFamily;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders one policy's rules for one direction and family into the body of its {@code WEIR-P?-} chain (NetworkPolicy)
 * or {@code WEIR-C?-} chain (ClusterNetworkPolicy). Each API rule becomes (peer entries × port entries) iptables rules
 * that set its action's mark, followed by a guard that RETURNs once the mark is set; peers are set matches, never
 * addresses, so the rule count does not depend on how many pods match. A cluster policy rule that decided may be
 * logged between the two ({@link #logged}).
 */
final class PolicyChainRenderer {

    private final PolicyGraph graph;
    private final SetCatalog sets;
    private final RenderOptions options;
    private final DenialLogRules log;

    PolicyChainRenderer(PolicyGraph graph, SetCatalog sets, RenderOptions options, DenialLogRules log) {
        this.graph = graph;
        this.sets = sets;
        this.options = options;
        this.log = log;
    }

    /**
     * A policy's rules for one direction and family, the body of its chain. Each API rule's iptables rules set the
     * rule's action bit (accept, drop or pass; a NetworkPolicy rule always accepts), and a guard after it RETURNs once
     * that bit is set: the first matching rule decides. A cluster policy's chain is only entered while its tier is
     * undecided.
     */
    List<IptablesRule> render(CompiledPolicy policy, PolicyType direction, IpFamily family) {
        List<IptablesRule> out = new ArrayList<>();
        String pendingGuard = null;  // the matches of the RETURN after the previous API rule
        for (CompiledRule rule : policy.rules(direction)) {
            int bit = switch (rule.action()) {
                case ACCEPT -> options.acceptMark();
                case DENY -> options.dropMark();
                case PASS -> options.passMark();
            };
            String mark = RenderOptions.hex(bit) + "/" + RenderOptions.hex(bit);
            Set<String> matches = new LinkedHashSet<>(
                    matches(policy.appliedTo().id(), rule.peers(), rule.ports(), direction, family));
            if (matches.isEmpty()) {
                continue;
            }
            if (pendingGuard != null) {
                out.add(IptablesRule.of(policy.key(), pendingGuard, "RETURN"));
            }
            matches.forEach(m -> out.add(IptablesRule.of(policy.key(), m, "MARK --set-xmark " + mark)));
            String guard = "-m mark --mark " + mark;
            pendingGuard = guard;
            // the chain is entered with no tier bit set and left as soon as a rule set its bit: only this rule can
            // have set it here
            logged(policy, rule).flatMap(d -> log.forSubjects(policy.key(), guard, d, family))
                    .ifPresent(out::add);
        }
        return out;
    }

    /**
     * The NetworkPolicy tier of an endpoint chain, every policy of {@code policies} (NetworkPolicies, in order) at once:
     * a packet is allowed when any rule of any of them matches it, so the rules are merged by port entry, one iptables
     * rule per distinct port entry (a protocol and port range, a protocol alone, or none) whose peer match is the
     * {@link SetCatalog#union union} of the peer sets of every API rule with that entry, or no peer match when one of
     * those rules admits any peer. Named ports keep one rule per peer (their set holds the port too). Each rule sets
     * the accept mark; the endpoint chain RETURNs on it after the last. Instead of a chain per policy entered in turn
     * (a jump, a set test and a check per policy: the walk of a new connection grew with the policies selecting its
     * pod, ≈ 0.2 µs each), one set test per port entry, the kernel walking the union's member sets (≈ 80 ns each).
     */
    List<IptablesRule> networkPolicyTier(List<CompiledPolicy> policies, PolicyType direction, IpFamily family) {
        String peerSide = direction == PolicyType.INGRESS ? "src" : "dst";
        // port entry (protocol match, port match) → peer sets in order of appearance; null: some rule admits any peer
        Map<List<String>, Set<String>> byPort = new LinkedHashMap<>();
        Set<String> named = new LinkedHashSet<>();
        for (CompiledPolicy policy : policies) {
            for (CompiledRule rule : policy.rules(direction)) {
                boolean anyPeer = rule.peers().isEmpty();
                List<String> peerSets = new ArrayList<>();
                for (PeerRef ref : rule.peers()) {
                    if (ref instanceof PeerRef.Group g) {
                        peerSets.add(sets.group(family, g.id()));
                    } else if (ref instanceof PeerRef.Block b) {
                        if (graph.ipBlockSet(b.id()).block().cidr().family() == family) {
                            peerSets.add(sets.block(graph.ipBlockSet(b.id())));
                        }
                    } else {
                        throw new IllegalStateException("a NetworkPolicy has no " + ref + " peer");
                    }
                }
                if (!anyPeer && peerSets.isEmpty()) {
                    continue; // only ipBlocks of the other family: matches nothing in this one
                }
                List<List<String>> entries = new ArrayList<>();
                if (rule.ports().isEmpty()) {
                    entries.add(List.of("", ""));
                }
                for (PortMatch port : rule.ports()) {
                    String proto = "-p " + port.protocol().lower();
                    if (port instanceof PortMatch.AllPorts) {
                        entries.add(List.of(proto, ""));
                    } else if (port instanceof PortMatch.Range r) {
                        entries.add(List.of(proto, "-m " + port.protocol().lower() + " --dport " + r.first()
                                + (r.last() == r.first() ? "" : ":" + r.last())));
                    } else if (port instanceof PortMatch.Named n && direction == PolicyType.INGRESS) {
                        String set = "-m set --match-set " + sets.namedIngress(family, policy.appliedTo().id(), n)
                                + " dst,dst";
                        if (anyPeer) {
                            named.add(join(proto, "", set));
                        }
                        peerSets.forEach(p -> named.add(join(proto, "-m set --match-set " + p + " " + peerSide, set)));
                    } else if (port instanceof PortMatch.Named n) {
                        named.add(join(proto, "", "-m set --match-set " + sets.namedEgress(family, rule.peers(), n)
                                + " dst,dst"));
                    } else {
                        throw new AssertionError(port);
                    }
                }
                for (List<String> entry : entries) {
                    if (anyPeer) {
                        byPort.put(entry, null);
                    } else if (!byPort.containsKey(entry) || byPort.get(entry) != null) {
                        byPort.computeIfAbsent(entry, e -> new LinkedHashSet<>()).addAll(peerSets);
                    }
                }
            }
        }
        String owner = direction == PolicyType.INGRESS ? "ingress" : "egress";
        String mark = "MARK --set-xmark " + RenderOptions.hex(options.acceptMark()) + "/"
                + RenderOptions.hex(options.acceptMark());
        List<IptablesRule> out = new ArrayList<>();
        byPort.forEach((entry, peerSets) -> {
            String peer = peerSets == null ? "" : "-m set --match-set " + sets.union(family, peerSets) + " " + peerSide;
            out.add(IptablesRule.of(owner, join(entry.get(0), peer, entry.get(1)), mark));
        });
        named.forEach(m -> out.add(IptablesRule.of(owner, m, mark)));
        return out;
    }

    /**
     * The decision a cluster policy rule's match is logged with: a Deny always; an Accept, or a Baseline Pass, when
     * the policy lists the rule ({@link ClusterPolicy#logs}); an Admin Pass never, as it decides nothing (what comes
     * after it does, and is logged there). NetworkPolicy rules are never logged: several may allow one packet.
     */
    private static Optional<Decision> logged(CompiledPolicy policy, CompiledRule rule) {
        if (!(policy.source() instanceof ClusterPolicy cp)) {
            return Optional.empty();
        }
        Decision.Outcome outcome = switch (rule.action()) {
            case DENY -> Decision.Outcome.DENY;
            case ACCEPT -> cp.logs(rule.direction(), rule.index()) ? Decision.Outcome.ALLOW : null;
            case PASS -> policy.tier() == PolicyTier.BASELINE && cp.logs(rule.direction(), rule.index())
                    ? Decision.Outcome.PASS : null;
        };
        return Optional.ofNullable(outcome).map(o -> Decision.clusterPolicyRule(rule.direction(), o, policy.tier(),
                policy.name(), Decision.RuleRef.of(rule)));
    }

    /**
     * The match text of every iptables rule one API rule needs in this family; empty when it can match nothing.
     * {@code subjectGroup} holds the pods the rule protects (named ports of ingress rules resolve on them).
     */
    private List<String> matches(String subjectGroup, List<PeerRef> rulePeers, List<PortMatch> ports,
            PolicyType direction, IpFamily family) {
        String peerSide = direction == PolicyType.INGRESS ? "src" : "dst";
        List<String> peers = new ArrayList<>();
        if (rulePeers.isEmpty()) {
            peers.add("");
        }
        for (PeerRef ref : rulePeers) {
            if (ref instanceof PeerRef.Group g) {
                peers.add("-m set --match-set " + sets.group(family, g.id()) + " " + peerSide);
            } else if (ref instanceof PeerRef.Block b) {
                // a block of the other family can never match a packet of this one
                if (graph.ipBlockSet(b.id()).block().cidr().family() == family) {
                    peers.add("-m set --match-set " + sets.block(graph.ipBlockSet(b.id())) + " " + peerSide);
                }
            } else if (ref instanceof PeerRef.Nodes n) {
                peers.add("-m set --match-set " + sets.nodes(family, n.id()) + " " + peerSide);
            } else {
                throw new AssertionError(ref);
            }
        }
        if (peers.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (ports.isEmpty()) {
            return peers;
        }
        for (PortMatch port : ports) {
            String proto = "-p " + port.protocol().lower();
            if (port instanceof PortMatch.AllPorts) {
                peers.forEach(peer -> out.add(join(proto, peer, "")));
            } else if (port instanceof PortMatch.Range r) {
                String dport = "-m " + port.protocol().lower() + " --dport " + r.first()
                        + (r.last() == r.first() ? "" : ":" + r.last());
                peers.forEach(peer -> out.add(join(proto, peer, dport)));
            } else if (port instanceof PortMatch.Named n && direction == PolicyType.INGRESS) {
                String named = "-m set --match-set " + sets.namedIngress(family, subjectGroup, n) + " dst,dst";
                peers.forEach(peer -> out.add(join(proto, peer, named)));
            } else if (port instanceof PortMatch.Named n) {
                // egress: the name resolves on the peer, and the set already holds only matching peers' ip,port
                out.add(join(proto, "", "-m set --match-set " + sets.namedEgress(family, rulePeers, n) + " dst,dst"));
            } else {
                throw new AssertionError(port);
            }
        }
        return out;
    }

    private static String join(String... parts) {
        return Stream.of(parts).filter(p -> !p.isEmpty()).collect(Collectors.joining(" "));
    }
}
