package dev.weir.bench;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Renders one node of a generated cluster: 100 namespaces, 10,000 pods on 91 nodes (110 on the rendered node),
 * 1,000 policies mixing pod, namespace and ipBlock peers, numeric, ranged and named ports, both directions.
 * Run briefly: {@code bench/run iptables-renderer RenderBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RenderBenchmark {

    static final String NODE = "node-0";

    PolicyGraph graph;

    @Setup
    public void setUp() {
        graph = PolicyCompiler.compile(cluster(10_000, 1_000, 100, 110, 42));
    }

    /** The renderer alone: graph → Ruleset for one node. */
    @Benchmark
    public Ruleset render() {
        return IptablesRenderer.render(graph, NODE);
    }

    /** Render plus both text payloads, what one sync of the agent produces before applying. */
    @Benchmark
    public int renderToText() {
        Ruleset rs = IptablesRenderer.render(graph, NODE);
        int n = IpsetScript.install(rs.sets()).length();
        for (FamilyRuleset fr : List.of(rs.v4(), rs.v6())) {
            n += RestoreScript.install(fr).length();
        }
        return n;
    }

    /** A generated cluster; {@code localPods} of the pods run on {@link #NODE}, the rest spread over other nodes. */
    static ClusterSnapshot cluster(int pods, int policies, int namespaces, int localPods, long seed) {
        Random r = new Random(seed);
        String[] apps = new String[40];
        for (int i = 0; i < apps.length; i++) {
            apps[i] = "app-" + i;
        }
        List<Namespace> nss = new ArrayList<>();
        for (int i = 0; i < namespaces; i++) {
            nss.add(new Namespace("ns-" + i, Map.of("kubernetes.io/metadata.name", "ns-" + i,
                    "team", "team-" + (i % 10), "env", i % 3 == 0 ? "prod" : "dev")));
        }
        int otherNodes = Math.max(1, (pods - localPods + 109) / 110);
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            String node = i < localPods ? NODE : "node-" + (1 + i % otherNodes);
            IpAddress ip = IpAddress.parse("10.0.0.0").plus(256L * 256 + i);
            List<ContainerPort> ports = List.of(ContainerPort.named("http", r.nextBoolean() ? 80 : 8080, Protocol.TCP),
                    ContainerPort.named("metrics", 9090, Protocol.TCP));
            eps.add(new Endpoint("ns-" + r.nextInt(namespaces), "pod-" + i,
                    Map.of("app", apps[r.nextInt(apps.length)], "tier", List.of("fe", "be", "db").get(r.nextInt(3))),
                    List.of(ip), node, false, PodPhase.RUNNING, ports));
        }
        List<NetworkPolicy> nps = new ArrayList<>();
        for (int i = 0; i < policies; i++) {
            String ns = "ns-" + (i % namespaces);
            LabelSelector sel = LabelSelector.matchLabel("app", apps[r.nextInt(apps.length)]);
            List<Rule> ingress = new ArrayList<>();
            List<Rule> egress = new ArrayList<>();
            ingress.add(new Rule(List.of(Peer.Pods.inPolicyNamespace(
                    LabelSelector.matchLabel("app", apps[r.nextInt(apps.length)]))),
                    List.of(PortMatch.Range.single(Protocol.TCP, 80 + r.nextInt(10)))));
            switch (i % 4) {
                case 0 -> ingress.add(new Rule(List.of(new Peer.Pods(
                        LabelSelector.matchLabel("team", "team-" + r.nextInt(10)), LabelSelector.all())),
                        List.of(new PortMatch.Named(Protocol.TCP, "http"))));
                case 1 -> ingress.add(new Rule(List.of(new Peer.IpBlock(Cidr.parse("172.16.0.0/12"),
                        List.of(Cidr.parse("172.16." + r.nextInt(256) + ".0/24")))),
                        List.of(new PortMatch.Range(Protocol.TCP, 30000, 32767))));
                case 2 -> egress.add(new Rule(List.of(new Peer.Pods(LabelSelector.all(),
                        LabelSelector.matchLabel("tier", "db"))), List.of(PortMatch.Range.single(Protocol.TCP, 5432))));
                default -> egress.add(new Rule(List.of(new Peer.IpBlock(Cidr.parse("0.0.0.0/0"),
                        List.of(Cidr.parse("10.0.0.0/8")))), List.of(PortMatch.Range.single(Protocol.TCP, 443),
                        new PortMatch.AllPorts(Protocol.UDP))));
            }
            List<PolicyType> types = egress.isEmpty() ? List.of() : List.of(PolicyType.INGRESS, PolicyType.EGRESS);
            nps.add(new NetworkPolicy(ns, "np-" + i, sel, types, ingress, egress));
        }
        return new ClusterSnapshot(nss, eps, nps);
    }
}
