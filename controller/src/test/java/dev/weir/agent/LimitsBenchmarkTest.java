package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.Ruleset;
import dev.weir.iptables.sys.NetworkNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 14: one agent in a cluster at Kubernetes' limits — 150,000 pods, 5,000 nodes, 50,000 NetworkPolicies, 10,000
 * namespaces — whose node runs 110 pods that 5,000 policies select, a tenth of them with cluster-wide peers
 * ({@code namespaceSelector: {}}, one set of every pod in the cluster). Through the agent's own path: the agent's
 * cache stores ({@link CompactPodStore}, {@link SerializedItemStore}, no namespace index), its handler
 * ({@link ChangeRecorder}), its sync loop and worker (graph → render) and the real applier into a throwaway network
 * namespace ({@code wdm-}). Records heap after the first full sync (after GC), the first sync's time, and from an API
 * call to the applier's return with the change in the kernel: a pod create, a pod label change that moves it between
 * sets, a namespace label change, a policy create.
 *
 * <p>The bulk is fed to the handler directly, as the informers' first list feeds it (each object put in its cache
 * store, the cached copy translated), not served by the mock API server: the mock's CRUD store keeps every object as
 * JSON in this heap (which would drown the measurement) and matches every request against every stored object, so
 * creating 150,000 pods there is quadratic (10,000 took minutes). The measured events are real API calls against the
 * mock, reaching the agent through real informers. Opt-in and root: {@code -Dweir.bench=true}
 * ({@code -Dweir.bench.samples=N}, {@code -Dweir.bench.scale=F} multiplies the bulk), with
 * {@code -DargLine=-Xmx2g}.
 */
@EnabledIfSystemProperty(named = "weir.bench", matches = "true")
public class LimitsBenchmarkTest {

    public static final double SCALE = Double.parseDouble(System.getProperty("weir.bench.scale", "1"));
    public static final int PODS = (int) (150_000 * SCALE);
    public static final int NODES = (int) (5_000 * SCALE);
    public static final int POLICIES = (int) (50_000 * SCALE);
    public static final int NAMESPACES = (int) (10_000 * SCALE);
    public static final int LOCAL_PODS = 110;
    public static final int LOCAL_POLICIES = 5_000;
    /** Namespaces the local pods live in (11 each), and the 5,000 policies selecting them. */
    public static final int LOCAL_NAMESPACES = 10;
    private static final int SAMPLES = Integer.getInteger("weir.bench.samples", 20);
    private static final double MIB = 1024.0 * 1024.0;

    private final String netnsName = "wdm-" + ProcessHandle.current().pid() % 100000;
    private MockCluster cluster;
    private KubernetesClient kube;
    private KubernetesClient agentClient;
    private NetworkNamespace netns;
    private SyncLoop loop;
    private ClusterInformers informers;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel benchmarks need root");
        sh("ip", "netns", "add", netnsName);
        netns = NetworkNamespace.named(netnsName);
        cluster = new MockCluster();
        kube = cluster.newClient();
        agentClient = cluster.newClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            loop.close();
        }
        if (informers != null) {
            informers.close();
        }
        if (agentClient != null) {
            agentClient.close();
            kube.close();
            cluster.close();
        }
        if (netns != null) {
            netns.close();
        }
        sh("ip", "netns", "delete", netnsName);
    }

    @Test
    void oneAgentAtKubernetesLimits() throws Exception {
        // the measured objects, in the mock: namespace bench (team t1) with pods that move between peer sets
        kube.resource(Kube.namespace("bench", "team", "t1")).create();
        for (int i = 0; i < SAMPLES + 3; i++) {
            kube.resource(Kube.pod("bench", "m" + i, moverIp(i), "n7", "app", "a1")).create();
        }
        AgentConfig config = AgentConfig.defaults("n0").withHttpPort(-1).withNetns(netnsName);
        AgentParts parts = StandardParts.create(config, netns);
        TimedDataplane dataplane = new TimedDataplane(parts.dataplane());
        PendingChanges pending = new PendingChanges(System::nanoTime);
        SyncTrigger trigger = new SyncTrigger();
        ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
        ChangeRecorder recorder = new ChangeRecorder(translator, pending, trigger);
        long heapBefore = AgentMemoryBenchmark.usedAfterGc();

        // the bulk, as the informers' first lists deliver it: into the cache stores, the cached copies to the handler
        long fillStart = System.nanoTime();
        long cpuStart = cpu();
        List<CacheImpl<?>> bulk = new ArrayList<>();
        bulk.add(fill(NAMESPACES, LimitsBenchmarkTest::namespace, SerializedItemStore.namespaces(), recorder));
        bulk.add(fill(NODES, LimitsBenchmarkTest::node, SerializedItemStore.nodes(), recorder));
        bulk.add(fill(PODS, LimitsBenchmarkTest::pod, new CompactPodStore(), recorder));
        bulk.add(fill(POLICIES, LimitsBenchmarkTest::policy, SerializedItemStore.networkPolicies(), recorder));
        long fillMs = (System.nanoTime() - fillStart) / 1_000_000;
        long fillCpuMs = (cpu() - cpuStart) / 1_000_000;

        informers = new ClusterInformers(agentClient, recorder, trigger, InformerWatchdog.DEFAULT_STALL_LIMIT);
        AgentMetrics metrics = new AgentMetrics();
        SyncWorker worker = new SyncWorker("n0", pending, new ClusterState(), () -> {
            List<Change> all = new ArrayList<>();
            for (CacheImpl<?> cache : bulk) {
                cache.listKeys().forEach(k -> all.add(translator.upsert((HasMetadata) cache.getByKey(k)).change()));
            }
            informers.forEachCached(o -> all.add(translator.upsert(o).change()));
            return all;
        }, parts.renderer(), dataplane, r -> { }, metrics, System::nanoTime);
        loop = new SyncLoop("n0", new Pacer(config.minSyncInterval(), Duration.ofHours(1), Duration.ofHours(1)),
                worker, trigger, pending, informers::synced, System::nanoTime);
        informers.start();
        informers.clusterPoliciesServed(false);
        long syncStart = System.nanoTime();
        cpuStart = cpu();
        loop.start();
        Ruleset first = dataplane.await(r -> r.sets().size() > 20, Duration.ofMinutes(30));
        long firstSyncMs = (dataplane.lastAt - syncStart) / 1_000_000;
        long firstSyncCpuMs = (cpu() - cpuStart) / 1_000_000;
        long heap = AgentMemoryBenchmark.usedAfterGc();
        int members = first.sets().stream().mapToInt(s -> s.members().size()).sum();
        int largest = first.sets().stream().mapToInt(s -> s.members().size()).max().orElse(0);
        System.out.printf("cluster: %,d pods, %,d nodes, %,d policies, %,d namespaces; node n0: %d local pods, "
                + "%,d policies selecting them%n", PODS, NODES, POLICIES, NAMESPACES, LOCAL_PODS, LOCAL_POLICIES);
        System.out.printf("JVM %s, max heap %.0f MiB, %d CPUs, load average %.1f%n", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / MIB, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("handlers fed (trim, compact, translate): %,d ms (%,d ms CPU of this thread)%n", fillMs,
                fillCpuMs);
        System.out.printf("first sync (graph, render, apply into the netns): %,d ms (%,d ms CPU, all threads)%n",
                firstSyncMs, firstSyncCpuMs);
        System.out.printf("ruleset of n0: %d sets, %,d members (largest %,d), %d v4 chains, %,d v4 rules%n",
                first.sets().size(), members, largest, first.v4().chains().size(),
                first.v4().chains().stream().mapToInt(c -> c.rules().size()).sum());
        System.out.printf("heap after the first full sync, after GC: %.1f MiB (%.1f MiB before the bulk)%n",
                heap / MIB, heapBefore / MIB);

        long[] create = new long[SAMPLES];
        long[] move = new long[SAMPLES];
        long[] nsLabel = new long[SAMPLES];
        long[] policy = new long[SAMPLES];
        for (int i = -3; i < SAMPLES; i++) { // three rounds to warm up, then the samples
            int k = i + 3;
            // pod create: joins the cluster-wide sets (every pod; app=a1) and team t1's
            String ip = "10.250." + (k / 200) + "." + (k % 200 + 2);
            long t = timed(() -> kube.resource(Kube.pod("bench", "c" + k, ip, "n7", "app", "a1")).create(),
                    dataplane, r -> !setsWith(r, ip).isEmpty());
            record(create, i, t);
            // pod label change: app a1 → a6 moves it from the app=a1 cluster-wide set to the app=a6 one
            String mover = moverIp(k);
            Set<String> before = setsWith(dataplane.last, mover);
            t = timed(() -> kube.pods().inNamespace("bench").withName("m" + k).edit(p -> new PodBuilder(p)
                    .editMetadata().addToLabels("app", "a6").endMetadata().build()), dataplane,
                    r -> !setsWith(r, mover).equals(before));
            record(move, i, t);
            // namespace label change: bench's team flips, so its pods move between the teams' sets
            String watched = moverIp(SAMPLES + 2);
            Set<String> nsBefore = setsWith(dataplane.last, watched);
            String team = k % 2 == 0 ? "t2" : "t1";
            t = timed(() -> kube.namespaces().withName("bench").edit(n -> new NamespaceBuilder(n).editMetadata()
                    .addToLabels("team", team).endMetadata().build()), dataplane,
                    r -> !setsWith(r, watched).equals(nsBefore));
            record(nsLabel, i, t);
            // policy create: a new policy selecting local pods, with cluster-wide peers; their pods' policy list
            // changes, and with it the name of the endpoint chain they share (a hash of the list)
            String name = "bench-" + k;
            Set<String> chainsBefore = chainNames(dataplane.last);
            t = timed(() -> kube.resource(localPolicy("ns0", name, "l0", clusterWide("a3"))).create(), dataplane,
                    r -> !chainNames(r).equals(chainsBefore));
            record(policy, i, t);
        }
        heap = AgentMemoryBenchmark.usedAfterGc();
        System.out.printf("heap after the samples, after GC: %.1f MiB; syncs %d, mean sync %.0f ms%n", heap / MIB,
                metrics.syncs.getLongValue(), 1000 * metrics.syncDuration.getSum() / metrics.syncDuration.getCount());
        row("pod create", create);
        row("pod label change (moves sets)", move);
        row("namespace label change", nsLabel);
        row("policy create", policy);
        assertThat(bulk).hasSize(4); // the caches stay reachable until here
        assertThat(Arrays.stream(create).min().orElse(0)).isPositive();
    }

    private interface ApiCall {
        void run() throws Exception;
    }

    /** From just before the API call to the return of the apply whose ruleset shows the change. */
    private static long timed(ApiCall call, TimedDataplane dataplane, Predicate<Ruleset> shows) throws Exception {
        Thread.sleep(config().minSyncInterval().toMillis() + 100); // measure the pipeline, not the rate limit
        long start = System.nanoTime();
        call.run();
        dataplane.await(shows, Duration.ofMinutes(2));
        return dataplane.lastAt - start;
    }

    private static AgentConfig config() {
        return AgentConfig.defaults("n0");
    }

    private static void record(long[] into, int i, long nanos) {
        if (i >= 0) {
            into[i] = nanos;
        }
    }

    private static void row(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("| %s (n=%d) | %d ms | %d ms | %d ms | %d ms |%n", what, s.length,
                s[s.length / 2] / 1_000_000, s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1_000_000,
                s[0] / 1_000_000, s[s.length - 1] / 1_000_000);
    }

    private static Set<String> setsWith(Ruleset r, String ip) {
        Set<String> out = new HashSet<>();
        for (IpSetSpec s : r.sets()) {
            if (s.members().contains(ip)) {
                out.add(s.name());
            }
        }
        return out;
    }

    private static Set<String> chainNames(Ruleset r) {
        Set<String> out = new HashSet<>();
        for (FamilyRuleset f : List.of(r.v4(), r.v6())) {
            f.chains().forEach(c -> out.add(c.name()));
        }
        return out;
    }

    private static <T extends HasMetadata> CacheImpl<T> fill(int count, IntFunction<T> object, ItemStore<T> store,
            ChangeRecorder recorder) {
        CacheImpl<T> cache = new CacheImpl<>();
        cache.setItemStore(store);
        cache.removeIndexer(CacheImpl.NAMESPACE_INDEX);
        for (int i = 0; i < count; i++) {
            T o = object.apply(i);
            cache.put(o);
            recorder.upserted(cache.getByKey(cache.getKey(o)));
        }
        return cache;
    }

    // ---- the cluster

    static String moverIp(int i) {
        return "10.251." + (i / 200) + "." + (i % 200 + 2);
    }

    public static Namespace namespace(int n) {
        return new NamespaceBuilder().withNewMetadata().withName("ns" + n).withUid(uid(1, n))
                .withResourceVersion(Integer.toString(1000 + n)).withCreationTimestamp("2026-11-01T10:00:00Z")
                .withLabels(Map.of("kubernetes.io/metadata.name", "ns" + n, "team", "t" + (n % 10), "env",
                        n % 3 == 0 ? "prod" : "dev"))
                .endMetadata().build();
    }

    public static Node node(int n) {
        return new NodeBuilder().withNewMetadata().withName("n" + n).withUid(uid(2, n))
                .withResourceVersion(Integer.toString(5000 + n))
                .withLabels(Map.of("kubernetes.io/hostname", "n" + n, "topology.kubernetes.io/zone", "z" + (n % 3)))
                .endMetadata().withNewStatus().addNewAddress().withType("InternalIP")
                .withAddress("192.168." + (n / 250) + "." + (n % 250 + 1)).endAddress().endStatus().build();
    }

    /**
     * Pods 0-109 on n0, in namespaces ns0-ns9 (apps l0-l10); the others 15 a namespace (apps a0-a14, one ReplicaSet
     * each: the replicas of a namespace's app share their labels) spread over n1-n4999.
     */
    public static Pod pod(int i) {
        boolean local = i < LOCAL_PODS;
        int ns = local ? i % LOCAL_NAMESPACES : i % NAMESPACES;
        String app = local ? "l" + (i / LOCAL_NAMESPACES) : "a" + (i / NAMESPACES % 15);
        String node = local ? "n0" : "n" + (1 + i % (NODES - 1));
        int a = i + 256;
        String ip = "10." + (a >> 16) + "." + ((a >> 8) & 255) + "." + (a & 255);
        return new PodBuilder().withNewMetadata().withNamespace("ns" + ns).withName(app + "-7d9f8c6b5-" + i)
                .withUid(uid(3, i)).withResourceVersion(Integer.toString(200_000 + i))
                .withCreationTimestamp("2026-11-02T08:" + String.format("%02d:%02dZ", i / 60 % 60, i % 60))
                .withLabels(Map.of("app", app, "pod-template-hash", "7d9f8c6b5", "tier", i % 2 == 0 ? "fe" : "be"))
                .endMetadata()
                .withNewSpec().withNodeName(node)
                .addNewContainer().withName("app").withImage("registry.example.com/" + app)
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewPort().withName("metrics").withContainerPort(9090).withProtocol("TCP").endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().endStatus()
                .build();
    }

    /**
     * Policies 0-4,999 select the local pods (500 in each local namespace); the others 4-5 a namespace. Peers by
     * {@code p % 10}: 0 every pod of the cluster ({@code namespaceSelector: {}}), 1 one app cluster-wide, 2 a team's
     * namespaces, 3-6 an app of the policy's namespace, 7 an ipBlock, 8 a team's {@code tier=fe} pods, 9 the policy's
     * namespace.
     */
    public static NetworkPolicy policy(int p) {
        boolean local = p < LOCAL_POLICIES;
        String ns = "ns" + (local ? p % LOCAL_NAMESPACES : LOCAL_NAMESPACES + p % (NAMESPACES - LOCAL_NAMESPACES));
        String target = local ? "l" + (p / LOCAL_NAMESPACES % 11) : "a" + (p % 15);
        NetworkPolicyPeer peer = switch (p % 10) {
            case 0 -> new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelector()).build();
            case 1 -> clusterWide("a" + (p % 15));
            case 2 -> new NetworkPolicyPeerBuilder().withNamespaceSelector(matchLabels("team", "t" + (p % 10)))
                    .build();
            case 7 -> new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("172." + (16 + p % 16) + ".0.0/16")
                    .endIpBlock().build();
            case 8 -> new NetworkPolicyPeerBuilder().withNamespaceSelector(matchLabels("team", "t" + (p % 10)))
                    .withPodSelector(matchLabels("tier", "fe")).build();
            case 9 -> new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelector()).build();
            default -> new NetworkPolicyPeerBuilder().withPodSelector(matchLabels("app", "a" + (p % 15))).build();
        };
        NetworkPolicy out = localPolicy(ns, "np" + p, target, peer);
        out.getMetadata().setUid(uid(4, p));
        out.getMetadata().setResourceVersion(Integer.toString(300_000 + p));
        out.getMetadata().setGeneration(1L);
        out.getSpec().getIngress().get(0).getPorts().get(0).getPort().setValue(8000 + p % 50);
        return out;
    }

    static NetworkPolicyPeer clusterWide(String app) {
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelector())
                .withPodSelector(matchLabels("app", app)).build();
    }

    static NetworkPolicy localPolicy(String ns, String name, String target, NetworkPolicyPeer peer) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withPodSelector(matchLabels("app", target)).withPolicyTypes("Ingress")
                .addNewIngress().withFrom(peer).addNewPort().withProtocol("TCP").withNewPort(8080).endPort()
                .endIngress().endSpec().build();
    }

    private static LabelSelector matchLabels(String k, String v) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of(k, v)).build();
    }

    private static String uid(int kind, int i) {
        return String.format("%08x-0000-4000-8000-%012x", kind, i);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** The real dataplane, recording each ruleset when its apply has returned (it is in the kernel then). */
    static final class TimedDataplane implements Dataplane {
        private final Dataplane real;
        volatile Ruleset last;
        volatile long lastAt;

        TimedDataplane(Dataplane real) {
            this.real = real;
        }

        @Override
        public ApplyResult apply(Ruleset desired) throws Exception {
            ApplyResult r = real.apply(desired);
            synchronized (this) {
                last = desired;
                lastAt = System.nanoTime();
                notifyAll();
            }
            return r;
        }

        @Override
        public DriftReport check(Ruleset desired) throws Exception {
            return real.check(desired);
        }

        @Override
        public Revocation revoke(dev.weir.graph.PolicyGraph graph, String node) throws Exception {
            return real.revoke(graph, node);
        }

        synchronized Ruleset await(Predicate<Ruleset> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (last == null || !condition.test(last)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("not applied within " + timeout);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return last;
        }
    }
}
