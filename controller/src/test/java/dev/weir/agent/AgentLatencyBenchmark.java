package dev.weir.agent;

import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.graph.ClusterEvent;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Event-to-applied latency of the agent pipeline (informer → pending changes → sync thread → compile → render →
 * dataplane call) with 10,000 pods, 1,000 policies and 100 namespaces, 110 pods on the measured node. The bulk is fed
 * to the recorder directly (creating 10k objects in the mock takes minutes); the measured events are real API calls
 * against the mock server and arrive through the informers. The dataplane is a recorder: this measures everything up
 * to the applier's call, not iptables itself (see the "Dataplane apply" section of docs/benchmarks.md for that).
 * Run: {@code bench/run controller AgentLatencyBenchmark} or from an IDE; not part of {@code mvn test}.
 */
public final class AgentLatencyBenchmark {

    static final int NAMESPACES = 100;
    static final int PODS = 10_000;
    static final int POLICIES = 1_000;
    static final int LOCAL = 110;

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        try (MockCluster cluster = new MockCluster(); KubernetesClient kube = cluster.newClient();
                KubernetesClient agentClient = cluster.newClient()) {
            run(cluster, kube, agentClient, samples);
        }
        System.exit(0);
    }

    static void run(MockCluster cluster, KubernetesClient kube, KubernetesClient agentClient, int samples)
            throws Exception {
        List<Change> bulk = bulk();
        kube.resource(Kube.namespace("bench", "team", "t0")).create();
        kube.resource(Kube.pod("bench", "target", "10.200.1.1", "n1", "app", "target")).create();
        for (int i = 0; i < samples; i++) {
            kube.resource(Kube.pod("bench", "m" + i, "10.200.0." + (i + 1), "n1", "app", "idle")).create();
        }
        WatchedDataplane dataplane = new WatchedDataplane();
        PendingChanges pending = new PendingChanges(System::nanoTime);
        SyncTrigger trigger = new SyncTrigger();
        ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
        ClusterInformers watch = new ClusterInformers(agentClient, new ChangeRecorder(translator, pending, trigger),
                trigger, InformerWatchdog.DEFAULT_STALL_LIMIT);
        AgentMetrics metrics = new AgentMetrics();
        ClusterState state = new ClusterState();
        SyncWorker worker = new SyncWorker("n1", pending, state, () -> {
            List<Change> all = new ArrayList<>(bulk);
            watch.cached().forEach(o -> all.add(translator.upsert(o).change()));
            return all;
        }, (g, n, l) -> IptablesRenderer.render(g, n, RenderOptions.defaults(), l), dataplane, r -> { }, metrics,
                System::nanoTime);
        SyncLoop loop = new SyncLoop("n1", new Pacer(Duration.ofMillis(500), Duration.ofMinutes(5),
                Duration.ofMinutes(1)), worker, trigger, pending, watch::synced, System::nanoTime);
        watch.start();
        watch.clusterPoliciesServed(false);
        long t0 = System.nanoTime();
        loop.start();
        dataplane.await(r -> r.sets().size() > 10, Duration.ofMinutes(5));
        System.out.printf("first full sync: %d ms, %d sets, %d chains%n", (System.nanoTime() - t0) / 1_000_000,
                dataplane.last.sets().size(), dataplane.last.v4().chains().size());
        warm(kube, dataplane, 5);

        long[] policy = new long[samples];
        for (int i = 0; i < samples; i++) {
            Thread.sleep(600); // past the minimum interval: measure the pipeline, not the rate limit
            String key = "bench/bench-" + i;
            long start = System.nanoTime();
            kube.resource(Kube.allowFrom("bench", "bench-" + i, "target", "peer-" + i)).create();
            dataplane.await(r -> mentions(r, key), Duration.ofSeconds(30));
            policy[i] = dataplane.lastAt - start;
        }
        long[] label = new long[samples];
        for (int i = 0; i < samples; i++) {
            Thread.sleep(600);
            String ip = "10.200.0." + (i + 1);
            long start = System.nanoTime();
            String podName = "m" + i;
            String peer = "peer-" + i;
            kube.pods().inNamespace("bench").withName(podName).edit(p -> new PodBuilder(p).editMetadata()
                    .addToLabels("app", peer).endMetadata().build());
            dataplane.await(r -> r.sets().stream().anyMatch(s -> s.members().contains(ip)), Duration.ofSeconds(30));
            label[i] = dataplane.lastAt - start;
        }
        loop.close();
        watch.close();
        report("policy create", policy);
        report("pod label change", label);
        System.out.printf("syncs %d, sync p50 from histogram: sum %.3f s / count %d%n", metrics.syncs.getLongValue(),
                metrics.syncDuration.getSum(), metrics.syncDuration.getCount());
    }

    private static void warm(KubernetesClient kube, WatchedDataplane dataplane, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Thread.sleep(600);
            String key = "bench/warm-" + i;
            kube.resource(Kube.allowFrom("bench", "warm-" + i, "target", "nobody")).create();
            dataplane.await(r -> mentions(r, key), Duration.ofSeconds(30));
        }
    }

    private static boolean mentions(Ruleset r, String policyKey) {
        for (FamilyRuleset f : List.of(r.v4(), r.v6())) {
            if (f.chains().stream().flatMap(c -> c.rules().stream())
                    .anyMatch(x -> x.comment() != null && x.comment().startsWith(policyKey + " "))) {
                return true;
            }
        }
        return false;
    }

    static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%-18s n=%d p50 %d ms  p99 %d ms  max %d ms%n", what, s.length, s[s.length / 2] / 1_000_000,
                s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1_000_000, s[s.length - 1] / 1_000_000);
    }

    /** 100 namespaces × 100 pods (110 on n1), 10 policies per namespace mixing pod, namespace and ipBlock peers. */
    static List<Change> bulk() {
        List<ClusterEvent> out = new ArrayList<>();
        for (int n = 0; n < NAMESPACES; n++) {
            out.add(new ClusterEvent.Upserted(new Namespace("ns" + n, Map.of("kubernetes.io/metadata.name",
                    "ns" + n, "team", "t" + (n % 10)))));
        }
        for (int i = 0; i < PODS; i++) {
            int n = i % NAMESPACES;
            String node = i < LOCAL ? "n1" : "n" + (2 + i % 90);
            out.add(new ClusterEvent.Upserted(new Endpoint("ns" + n, "pod" + i, Map.of("app", "app" + (i % 20),
                    "tier", i % 3 == 0 ? "fe" : "be"), List.of(IpAddress.parse("10." + (16 + i / 65_000) + "."
                    + (i / 250 % 250) + "." + (i % 250 + 1))), node, false, PodPhase.RUNNING, List.of())));
        }
        for (int p = 0; p < POLICIES; p++) {
            int n = p % NAMESPACES;
            LabelSelector target = LabelSelector.matchLabels(Map.of("app", "app" + (p % 20)));
            Peer peer = switch (p % 3) {
                case 0 -> new Peer.Pods(null, LabelSelector.matchLabels(Map.of("app", "app" + ((p + 1) % 20))));
                case 1 -> new Peer.Pods(LabelSelector.matchLabels(Map.of("team", "t" + (p % 10))),
                        LabelSelector.matchLabels(Map.of("tier", "fe")));
                default -> ipBlock(p);
            };
            out.add(new ClusterEvent.Upserted(new NetworkPolicy("ns" + n, "np" + p, target, List.of(),
                    List.of(new Rule(List.of(peer), List.of(new PortMatch.Range(Protocol.TCP, 80 + p % 5, 80 + p % 5)))),
                    List.of())));
        }
        return out.stream().<Change>map(Change.Event::new).toList();
    }

    private static Peer ipBlock(int p) {
        return new Peer.IpBlock(dev.weir.model.Cidr.parse("172." + (16 + p % 16) + ".0.0/16"), List.of());
    }

    /** Records when each ruleset arrives. */
    static final class WatchedDataplane implements Dataplane {
        volatile Ruleset last;
        volatile long lastAt;

        @Override
        public synchronized ApplyResult apply(Ruleset desired) {
            last = desired;
            lastAt = System.nanoTime();
            notifyAll();
            return new ApplyResult(true, "recorded");
        }

        @Override
        public DriftReport check(Ruleset desired) {
            return DriftReport.none();
        }

        synchronized void await(Predicate<Ruleset> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (last == null || !condition.test(last)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out; last ruleset mentions "
                            + last.v4().chains().stream().flatMap(c -> c.rules().stream())
                                    .map(x -> String.valueOf(x.comment())).filter(c -> c.startsWith("bench"))
                                    .distinct().toList());
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

}
