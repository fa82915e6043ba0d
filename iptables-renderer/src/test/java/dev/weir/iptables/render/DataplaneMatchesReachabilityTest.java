package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.CompiledPolicy;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.Reachability;
import dev.weir.graph.Verdict;
import dev.weir.iptables.render.Netfilter.Outcome;
import dev.weir.iptables.render.Netfilter.Packet;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.DenialLogging;
import dev.weir.model.Endpoint;
import dev.weir.model.IpFamily;
import dev.weir.model.Namespace;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered rules, executed by the {@link Netfilter} model on the path a packet really takes (FORWARD on both
 * nodes, INPUT to a hostNetwork pod, OUTPUT from one), give the verdict {@link Reachability} gives, for every pod
 * pair, port and protocol of 150 random clusters. Terminated pods neither send nor receive and are left out, and so
 * are pods whose every address a newer pod holds.
 *
 * <p>And the denied-traffic log says why, cell for cell: on each node a packet crosses, the NFLOG rules it hits are
 * exactly the logged decisions of the sides judged there, in order, each read back through the {@link Ruleset}'s
 * prefix map as the very {@link Decision} Reachability gives that side ({@code weir explain}'s). So a denied packet
 * hits one NFLOG rule, on the node and side that denied it, unless its pod's namespace is not logged; an allowed one
 * hits none, unless a cluster policy asked for the Accept or Pass rule that allowed it. A third of the seeds log by
 * request only ({@link DenialLog.Mode#OPT_IN}); the namespaces and cluster policies of each seed carry random
 * settings.
 */
class DataplaneMatchesReachabilityTest {

    private static final int[] PORTS = {53, 80, 8050, 8080, 9000};

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 150);
    }

    /** Every third seed logs by request only; the others log by default. */
    private static RenderOptions options(long seed) {
        DenialLog log = seed % 3 == 0 ? DenialLog.defaults().withMode(DenialLog.Mode.OPT_IN) : DenialLog.defaults();
        return RenderOptions.defaults().withDenialLog(log);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyProbeOfARandomClusterGetsTheReachabilityVerdict(long seed) {
        PolicyGraph graph = RandomClusters.generate(seed).graph();
        Reachability reachability = new Reachability(graph);
        Nodes nodes = new Nodes(graph, options(seed), LocalNetwork.none());
        List<String> mismatches = new ArrayList<>();
        List<Endpoint> pods = graph.endpoints().values().stream()
                .filter(e -> !e.ips().isEmpty() && !e.phase().terminal()).toList();
        for (Endpoint src : pods) {
            for (Endpoint dst : pods) {
                if (src == dst || (src.hostNetwork() && dst.hostNetwork())) {
                    continue;
                }
                Optional<IpFamily> family = commonFamily(src, dst);
                if (family.isEmpty()) {
                    continue;
                }
                for (Protocol protocol : Protocol.values()) {
                    for (int port : PORTS) {
                        Verdict expected = reachability.evaluate(src, dst, port, protocol);
                        Packet p = new Packet(src.ip(family.get()).get(), dst.ip(family.get()).get(), protocol, port);
                        String probe = src.key() + " -> " + dst.key() + " " + port + "/" + protocol;
                        boolean actual = nodes.passes(src, dst, p, expected, probe, mismatches);
                        if (actual != expected.allowed()) {
                            mismatches.add(probe + ": rules say " + (actual ? "allowed" : "denied")
                                    + ", reachability " + expected.reasons());
                        }
                    }
                }
            }
        }
        assertThat(mismatches).as("seed %d, graph %s", seed, graph).isEmpty();
    }

    /**
     * With every live local pod's interface known (routed or a bridge port, by the pod's name), each packet enters
     * its source node through its pod's interface and the verdicts stay exactly {@link Reachability}'s; and a pod that
     * sends with any other pod's address, through its own interface, is dropped on its node (FORWARD and INPUT).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void withPodInterfacesKnownVerdictsAreUnchangedAndNoPodPassesAsAnother(long seed) {
        PolicyGraph graph = RandomClusters.generate(seed).graph();
        Reachability reachability = new Reachability(graph);
        Map<dev.weir.model.ObjectKey, PodInterface> interfaces = new java.util.TreeMap<>();
        int k = 0;
        for (Endpoint e : graph.endpoints().values()) {
            if (e.isPolicyEndpoint()) {
                String name = "if" + k++;
                interfaces.put(e.key(), e.name().hashCode() % 2 == 0 ? PodInterface.routed(name)
                        : PodInterface.bridgePort(name, null));
            }
        }
        LocalNetwork network = new LocalNetwork(interfaces, List.of(), false);
        Nodes nodes = new Nodes(graph, options(seed), network);
        List<String> mismatches = new ArrayList<>();
        List<Endpoint> pods = graph.endpoints().values().stream()
                .filter(e -> !e.ips().isEmpty() && !e.phase().terminal()).toList();
        for (Endpoint src : pods) {
            PodInterface in = interfaces.get(src.key());
            for (Endpoint dst : pods) {
                if (src == dst || (src.hostNetwork() && dst.hostNetwork())) {
                    continue;
                }
                Optional<IpFamily> family = commonFamily(src, dst);
                if (family.isEmpty()) {
                    continue;
                }
                for (int port : PORTS) {
                    Verdict expected = reachability.evaluate(src, dst, port, Protocol.TCP);
                    Packet p = new Packet(src.ip(family.get()).get(), dst.ip(family.get()).get(), Protocol.TCP, port);
                    String probe = src.key() + " -> " + dst.key() + " " + port;
                    boolean actual = nodes.passes(src, dst, in == null ? p : p.from(in), expected, probe, mismatches);
                    if (actual != expected.allowed()) {
                        mismatches.add(probe + ": rules say " + (actual ? "allowed" : "denied") + ", reachability "
                                + expected.reasons());
                    }
                }
                for (Endpoint victim : pods) {
                    Optional<dev.weir.model.IpAddress> borrowed = victim.ip(family.get());
                    if (in == null || victim == src || borrowed.isEmpty()
                            || borrowed.equals(src.ip(family.get()))) {
                        continue;
                    }
                    Packet spoofed = new Packet(borrowed.get(), dst.ip(family.get()).get(), Protocol.TCP, 80).from(in);
                    List<Decision> logged = nodes.logs(src, Decision.spoofedSource(src.key()))
                            ? List.of(Decision.spoofedSource(src.key())) : List.of();
                    for (String hook : List.of("FORWARD", "INPUT")) {
                        Netfilter node = nodes.netfilter(src.node());
                        if (node.traverse(hook, spoofed) != Outcome.DROP) {
                            mismatches.add(src.key() + " sending as " + victim.key() + " passed " + hook);
                        }
                        nodes.checkLog(src.node(), logged, src.key() + " sending as " + victim.key() + " " + hook,
                                mismatches);
                    }
                }
            }
        }
        assertThat(mismatches).as("seed %d, graph %s", seed, graph).isEmpty();
    }

    /** Addresses outside the pods, inside and outside the random clusters' ipBlocks, networks and their excepts. */
    private static final List<String> OUTSIDE = List.of("10.0.1.77", "10.0.9.9", "8.8.8.8", "203.0.113.5",
            "192.168.0.9", "fd00::99", "fd00::1:5", "2001:db8::1");

    /**
     * Between a pod and an address that is no pod's, only the pod's node sees the packet (FORWARD, or OUTPUT/INPUT for
     * a hostNetwork pod), and its rules give {@link Reachability#outside}'s verdict, both ways.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyProbeBetweenAPodAndAnOutsideAddressGetsTheReachabilityVerdict(long seed) {
        PolicyGraph graph = RandomClusters.generate(seed).graph();
        Reachability reachability = new Reachability(graph);
        Nodes nodes = new Nodes(graph, options(seed), LocalNetwork.none());
        List<String> mismatches = new ArrayList<>();
        for (Endpoint pod : graph.endpoints().values()) {
            if (pod.ips().isEmpty() || pod.phase().terminal()) {
                continue;
            }
            Netfilter node = nodes.netfilter(pod.node());
            for (String text : OUTSIDE) {
                dev.weir.model.IpAddress address = dev.weir.model.IpAddress.parse(text);
                Optional<dev.weir.model.IpAddress> podIp = pod.ip(address.family());
                if (podIp.isEmpty()) {
                    continue;
                }
                Endpoint outside = reachability.outside(address);
                for (Protocol protocol : Protocol.values()) {
                    for (int port : PORTS) {
                        Verdict expectedOut = reachability.evaluate(pod, outside, port, protocol);
                        Verdict expectedIn = reachability.evaluate(outside, pod, port, protocol);
                        boolean out = node.traverse(pod.hostNetwork() ? "OUTPUT" : "FORWARD",
                                new Packet(podIp.get(), address, protocol, port)) != Outcome.DROP;
                        nodes.checkLog(pod.node(), nodes.expected(List.of(expectedOut.egress()), pod, outside),
                                pod.key() + " -> " + text + " " + port + "/" + protocol, mismatches);
                        boolean in = node.traverse(pod.hostNetwork() ? "INPUT" : "FORWARD",
                                new Packet(address, podIp.get(), protocol, port)) != Outcome.DROP;
                        nodes.checkLog(pod.node(), nodes.expected(List.of(expectedIn.ingress()), outside, pod),
                                text + " -> " + pod.key() + " " + port + "/" + protocol, mismatches);
                        if (out != expectedOut.allowed()) {
                            mismatches.add(pod.key() + " -> " + text + " " + port + "/" + protocol + ": rules say "
                                    + (out ? "allowed" : "denied") + ", reachability " + expectedOut.reasons());
                        }
                        if (in != expectedIn.allowed()) {
                            mismatches.add(text + " -> " + pod.key() + " " + port + "/" + protocol + ": rules say "
                                    + (in ? "allowed" : "denied") + ", reachability " + expectedIn.reasons());
                        }
                    }
                }
            }
        }
        assertThat(mismatches).as("seed %d, graph %s", seed, graph).isEmpty();
    }

    /**
     * The equivalence above is only as strong as the random clusters: they must make every tier decide, with every
     * action, or a broken tier would go unnoticed.
     */
    @org.junit.jupiter.api.Test
    void theRandomClustersExerciseEveryTierAndAction() {
        Map<String, Integer> seen = new java.util.TreeMap<>();
        seeds().forEach(seed -> {
            PolicyGraph graph = RandomClusters.generate(seed).graph();
            Reachability reachability = new Reachability(graph);
            for (Endpoint src : graph.endpoints().values()) {
                for (Endpoint dst : graph.endpoints().values()) {
                    for (int port : PORTS) {
                        Verdict v = reachability.evaluate(src, dst, port, Protocol.TCP);
                        for (Verdict.Side side : List.of(v.egress(), v.ingress())) {
                            String decided = side.decidedBy() == null ? "" : side.decidedBy();
                            for (String kind : List.of("allowed by", "denied by", "passed by")) {
                                for (String tier : List.of("(Admin", "(Baseline")) {
                                    if (decided.startsWith(kind) && decided.contains(tier)) {
                                        seen.merge(kind + " " + tier, 1, Integer::sum);
                                    }
                                }
                            }
                            if (side.passedBy() != null && side.decidedBy() == null) {
                                seen.merge("admin pass, then NetworkPolicy", 1, Integer::sum);
                            }
                        }
                    }
                }
            }
        });
        assertThat(seen.keySet()).containsExactlyInAnyOrder("allowed by (Admin", "denied by (Admin",
                "allowed by (Baseline", "denied by (Baseline", "passed by (Baseline", "admin pass, then NetworkPolicy");
    }

    /**
     * Likewise for the log: the random clusters must log every kind of decision, leave some denials unlogged for their
     * namespace, log some by request, and need the set of pods logged other than the default.
     */
    @org.junit.jupiter.api.Test
    void theRandomClustersLogEveryKindOfDecision() {
        Map<String, Integer> seen = new java.util.TreeMap<>();
        seeds().forEach(seed -> {
            PolicyGraph graph = RandomClusters.generate(seed).graph();
            Reachability reachability = new Reachability(graph);
            Nodes nodes = new Nodes(graph, options(seed), LocalNetwork.none());
            for (Endpoint src : graph.endpoints().values()) {
                for (Endpoint dst : graph.endpoints().values()) {
                    for (int port : PORTS) {
                        Verdict v = reachability.evaluate(src, dst, port, Protocol.TCP);
                        for (Decision d : nodes.expected(v.decisions().stream().map(x -> x.direction() == PolicyType
                                .EGRESS ? v.egress() : v.ingress()).toList(), src, dst)) {
                            seen.merge(d.outcome().lower() + " " + d.cause().word() + " "
                                    + d.tier().map(t -> t.word()).orElse(""), 1, Integer::sum);
                            if (seed % 3 == 0) {
                                seen.merge("logged by request", 1, Integer::sum);
                            }
                        }
                        Verdict.Side denying = !v.egress().allowed() ? v.egress() : v.ingress();
                        Endpoint subject = denying == v.egress() ? src : dst;
                        if (!denying.allowed() && !nodes.logs(subject, denying.decision())) {
                            seen.merge("a denial its namespace does not log", 1, Integer::sum);
                        }
                    }
                }
            }
            for (String n : RandomClusters.NODES) {
                if (nodes.rulesets.get(n).sets().stream().anyMatch(x -> x.name().startsWith("weir-q"))) {
                    seen.merge("pods logged other than the default", 1, Integer::sum);
                }
            }
        });
        assertThat(seen.keySet()).containsExactlyInAnyOrder("deny default-deny NetworkPolicy",
                "deny cluster-policy-rule Admin", "deny cluster-policy-rule Baseline", "allow cluster-policy-rule Admin",
                "allow cluster-policy-rule Baseline", "pass cluster-policy-rule Baseline", "logged by request",
                "a denial its namespace does not log", "pods logged other than the default");
    }

    /**
     * NFLOG changes nothing else: for every seed and node, the ruleset with the log on is the ruleset with it off
     * plus the NFLOG rules (and the set they may match), which the log's {@code OFF} mode renders none of.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theLogOnlyAddsNflogRules(long seed) {
        PolicyGraph graph = RandomClusters.generate(seed).graph();
        for (String n : RandomClusters.NODES) {
            Ruleset on = IptablesRenderer.render(graph, n, options(seed));
            Ruleset off = IptablesRenderer.render(graph, n, RenderOptions.defaults().withDenialLog(DenialLog.off()));
            assertThat(off.decisions()).isEmpty();
            assertThat(withoutNflog(off)).isEqualTo(off);
            assertThat(withoutNflog(on)).isEqualTo(off);
            assertThat(on.decisions().keySet()).as("every prefix written is in the map, and nothing else")
                    .isEqualTo(new java.util.TreeSet<>(java.util.stream.Stream.of(on.v4(), on.v6())
                            .flatMap(f -> f.chains().stream()).flatMap(c -> c.rules().stream())
                            .filter(r -> r.target().startsWith("NFLOG "))
                            .map(r -> r.target().split(" ")[2].substring(Names.NFLOG_PREFIX.length())).toList()));
        }
    }

    private static Ruleset withoutNflog(Ruleset rs) {
        java.util.function.Function<FamilyRuleset, FamilyRuleset> strip = f -> new FamilyRuleset(f.family(),
                f.hooks(), f.chains().stream().map(c -> new Chain(c.name(), c.rules().stream()
                        .filter(r -> !r.target().startsWith("NFLOG ")).toList())).toList());
        return new Ruleset(rs.node(), rs.sets().stream().filter(x -> !x.name().startsWith("weir-q")).toList(),
                strip.apply(rs.v4()), strip.apply(rs.v6()), rs.bridge());
    }

    /**
     * Likewise, pods must share addresses, and each of the two claimants must sometimes hold the address, or
     * dispatching and peer sets of a shared address go untested.
     */
    @org.junit.jupiter.api.Test
    void theRandomClustersHavePodsSharingAnAddress() {
        Map<String, Integer> seen = new java.util.TreeMap<>();
        seeds().forEach(seed -> RandomClusters.generate(seed).graph().displaced().forEach((key, d) -> {
            seen.merge(key.contains("/s") ? "a stale pod lost its address" : "a first pod lost its address", 1,
                    Integer::sum);
            if (d.reported().hostNetwork() || d.reported().phase().terminal()) {
                seen.merge("a pod that claims nothing was displaced", 1, Integer::sum);
            }
        }));
        assertThat(seen).containsOnlyKeys("a stale pod lost its address", "a first pod lost its address");
        assertThat(seen.values()).allMatch(n -> n > 20);
    }

    /** Likewise, {@code nodes} peers must decide some of the probes, or the node sets go untested. */
    @org.junit.jupiter.api.Test
    void nodesPeersDecideSomeProbesOfTheRandomClusters() {
        int decidedByNodes = seeds().mapToInt(seed -> {
            dev.weir.model.ClusterSnapshot s = RandomClusters.generate(seed).snapshot();
            Reachability with = new Reachability(dev.weir.graph.PolicyCompiler.compile(s));
            Reachability without = new Reachability(dev.weir.graph.PolicyCompiler.compile(new dev.weir.model
                    .ClusterSnapshot(s.namespaces(), s.endpoints(), s.policies(), s.clusterPolicies())));
            int n = 0;
            for (Endpoint src : s.endpoints()) {
                for (Endpoint dst : s.endpoints()) {
                    for (int port : PORTS) {
                        if (with.evaluate(src, dst, port, Protocol.TCP).allowed()
                                != without.evaluate(src, dst, port, Protocol.TCP).allowed()) {
                            n++;
                        }
                    }
                }
            }
            return n;
        }).sum();
        assertThat(decidedByNodes).isGreaterThan(20);
    }

    /**
     * The random cluster's nodes, each with its rendered ruleset run by a {@link Netfilter}, and what their NFLOG
     * rules must record.
     */
    private static final class Nodes {

        private final PolicyGraph graph;
        private final DenialLog log;
        private final Map<String, Ruleset> rulesets = new HashMap<>();
        private final Map<String, Netfilter> netfilters = new HashMap<>();

        Nodes(PolicyGraph graph, RenderOptions options, LocalNetwork network) {
            this.graph = graph;
            this.log = options.denialLog();
            for (String n : RandomClusters.NODES) {
                Ruleset rs = IptablesRenderer.render(graph, n, options, network);
                rulesets.put(n, rs);
                netfilters.put(n, new Netfilter(rs));
            }
        }

        Netfilter netfilter(String node) {
            return netfilters.get(node);
        }

        /**
         * The packet's path: the source node's hook (OUTPUT from a hostNetwork pod, else FORWARD), then, unless the
         * source node dropped it, the destination's. On each node the NFLOG rules hit are checked against the sides
         * judged there: both on one node, else egress on the source's and ingress on the destination's.
         */
        boolean passes(Endpoint src, Endpoint dst, Packet p, Verdict expected, String probe, List<String> mismatches) {
            Netfilter srcNode = netfilters.get(src.node());
            if (src.node().equals(dst.node())) {
                String hook = src.hostNetwork() ? "OUTPUT" : dst.hostNetwork() ? "INPUT" : "FORWARD";
                boolean passed = srcNode.traverse(hook, p) != Outcome.DROP;
                checkLog(src.node(), expected(List.of(expected.egress(), expected.ingress()), src, dst), probe,
                        mismatches);
                return passed;
            }
            boolean out = srcNode.traverse(src.hostNetwork() ? "OUTPUT" : "FORWARD", p) != Outcome.DROP;
            checkLog(src.node(), expected(List.of(expected.egress()), src, dst), probe, mismatches);
            if (!out) {
                return false;
            }
            Netfilter dstNode = netfilters.get(dst.node());
            boolean in = dstNode.traverse(dst.hostNetwork() ? "INPUT" : "FORWARD", p) != Outcome.DROP;
            checkLog(dst.node(), expected(List.of(expected.ingress()), src, dst), probe, mismatches);
            return in;
        }

        /**
         * The NFLOG prefixes the last traversal of {@code node} hit, read through that node's ruleset, must be
         * {@code expected}: the same decisions in the same order.
         */
        void checkLog(String node, List<Decision> expected, String probe, List<String> mismatches) {
            List<String> prefixes = netfilters.get(node).logged();
            List<Object> actual = new ArrayList<>();
            for (String prefix : prefixes) {
                actual.add(rulesets.get(node).decision(prefix).map(d -> (Object) d)
                        .orElse("unknown prefix " + prefix));
            }
            if (!actual.equals(expected)) {
                mismatches.add(probe + " on " + node + ": logged " + actual + ", expected " + expected);
            }
        }

        /**
         * The decisions the NFLOG rules record for a packet meeting {@code sides} in order (a side that denies is the
         * last one met): each side's own decision when it is logged.
         */
        List<Decision> expected(List<Verdict.Side> sides, Endpoint src, Endpoint dst) {
            List<Decision> out = new ArrayList<>();
            for (Verdict.Side side : sides) {
                Decision d = side.decision();
                if (logs(d.direction() == PolicyType.EGRESS ? src : dst, d)) {
                    out.add(d);
                }
                if (!side.allowed()) {
                    break;
                }
            }
            return out;
        }

        /**
         * Whether a decision about {@code subject} is logged: its namespace is logged, and it is a drop weir makes
         * (default deny, a cluster policy's Deny, a spoofed source) or an Accept or Pass its cluster policy asked for.
         */
        boolean logs(Endpoint subject, Decision d) {
            Namespace ns = graph.namespaces().get(subject.namespace());
            if (!log.logs(ns == null ? DenialLogging.DEFAULT : ns.denialLogging())) {
                return false;
            }
            return switch (d.cause()) {
                case DEFAULT_DENY, SPOOFED_SOURCE -> true;
                case CLUSTER_POLICY_RULE -> d.outcome() == Decision.Outcome.DENY || ((ClusterPolicy) graph.policy(
                        CompiledPolicy.keyOf(d.objects().get(0))).source()).logs(d.direction(), d.rule().get().index());
                default -> false;
            };
        }
    }

    private static Optional<IpFamily> commonFamily(Endpoint a, Endpoint b) {
        for (IpFamily f : IpFamily.values()) {
            if (a.ip(f).isPresent() && b.ip(f).isPresent()) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
