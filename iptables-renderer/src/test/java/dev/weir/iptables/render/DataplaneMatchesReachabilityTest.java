package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyGraph;
import dev.weir.graph.Reachability;
import dev.weir.graph.Verdict;
import dev.weir.iptables.render.Netfilter.Outcome;
import dev.weir.iptables.render.Netfilter.Packet;
import dev.weir.model.Endpoint;
import dev.weir.model.IpFamily;
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
 */
class DataplaneMatchesReachabilityTest {

    private static final int[] PORTS = {53, 80, 8050, 8080, 9000};

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 150);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyProbeOfARandomClusterGetsTheReachabilityVerdict(long seed) {
        PolicyGraph graph = RandomClusters.generate(seed).graph();
        Reachability reachability = new Reachability(graph);
        Map<String, Netfilter> rulesets = new HashMap<>();
        RandomClusters.NODES.forEach(n -> rulesets.put(n, new Netfilter(IptablesRenderer.render(graph, n))));
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
                        boolean actual = passes(rulesets, src, dst, p);
                        if (actual != expected.allowed()) {
                            mismatches.add(src.key() + " -> " + dst.key() + " " + port + "/" + protocol + ": rules say "
                                    + (actual ? "allowed" : "denied") + ", reachability " + expected.reasons());
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
        Map<String, Netfilter> rulesets = new HashMap<>();
        RandomClusters.NODES.forEach(n -> rulesets.put(n, new Netfilter(
                IptablesRenderer.render(graph, n, RenderOptions.defaults(), network))));
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
                    boolean actual = passes(rulesets, src, dst, in == null ? p : p.from(in));
                    if (actual != expected.allowed()) {
                        mismatches.add(src.key() + " -> " + dst.key() + " " + port + ": rules say "
                                + (actual ? "allowed" : "denied") + ", reachability " + expected.reasons());
                    }
                }
                for (Endpoint victim : pods) {
                    Optional<dev.weir.model.IpAddress> borrowed = victim.ip(family.get());
                    if (in == null || victim == src || borrowed.isEmpty()
                            || borrowed.equals(src.ip(family.get()))) {
                        continue;
                    }
                    Packet spoofed = new Packet(borrowed.get(), dst.ip(family.get()).get(), Protocol.TCP, 80).from(in);
                    for (String hook : List.of("FORWARD", "INPUT")) {
                        if (rulesets.get(src.node()).traverse(hook, spoofed) != Outcome.DROP) {
                            mismatches.add(src.key() + " sending as " + victim.key() + " passed " + hook);
                        }
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
        Map<String, Netfilter> rulesets = new HashMap<>();
        RandomClusters.NODES.forEach(n -> rulesets.put(n, new Netfilter(IptablesRenderer.render(graph, n))));
        List<String> mismatches = new ArrayList<>();
        for (Endpoint pod : graph.endpoints().values()) {
            if (pod.ips().isEmpty() || pod.phase().terminal()) {
                continue;
            }
            Netfilter node = rulesets.get(pod.node());
            for (String text : OUTSIDE) {
                dev.weir.model.IpAddress address = dev.weir.model.IpAddress.parse(text);
                Optional<dev.weir.model.IpAddress> podIp = pod.ip(address.family());
                if (podIp.isEmpty()) {
                    continue;
                }
                Endpoint outside = reachability.outside(address);
                for (Protocol protocol : Protocol.values()) {
                    for (int port : PORTS) {
                        boolean out = node.traverse(pod.hostNetwork() ? "OUTPUT" : "FORWARD",
                                new Packet(podIp.get(), address, protocol, port)) != Outcome.DROP;
                        boolean in = node.traverse(pod.hostNetwork() ? "INPUT" : "FORWARD",
                                new Packet(address, podIp.get(), protocol, port)) != Outcome.DROP;
                        Verdict expectedOut = reachability.evaluate(pod, outside, port, protocol);
                        Verdict expectedIn = reachability.evaluate(outside, pod, port, protocol);
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

    /** The packet's path: the source node's hook (OUTPUT from a hostNetwork pod, else FORWARD), then the destination's. */
    private static boolean passes(Map<String, Netfilter> rulesets, Endpoint src, Endpoint dst, Packet p) {
        Netfilter srcNode = rulesets.get(src.node());
        Netfilter dstNode = rulesets.get(dst.node());
        if (src.node().equals(dst.node())) {
            String hook = src.hostNetwork() ? "OUTPUT" : dst.hostNetwork() ? "INPUT" : "FORWARD";
            return srcNode.traverse(hook, p) != Outcome.DROP;
        }
        Outcome out = srcNode.traverse(src.hostNetwork() ? "OUTPUT" : "FORWARD", p);
        Outcome in = dstNode.traverse(dst.hostNetwork() ? "INPUT" : "FORWARD", p);
        return out != Outcome.DROP && in != Outcome.DROP;
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
