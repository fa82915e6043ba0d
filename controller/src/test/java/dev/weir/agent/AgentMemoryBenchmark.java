package dev.weir.agent;

import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.RenderOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Retained heap of the agent at 10,000 pods / 1,000 policies / 100 namespaces / 100 nodes (+ 10 ClusterNetworkPolicies):
 * per kind, what the informer caches keep, with fabric8's stock item store ({@code full}) and with the agent's
 * {@link TrimmedItemStore} ({@code trimmed}); then what the rest of the agent keeps (the cluster state's incremental
 * graph, its snapshot, the last rendered ruleset) after a first and a second full sync.
 *
 * <p>The caches are filled the way an informer fills them, minus the network: each object is parsed from the JSON an
 * API server sends ({@link RealisticObjects}) by fabric8's serializer and put into a {@link CacheImpl} — the class an
 * informer's store is — holding the given {@link ItemStore}. Through the mock server, 10k realistic pods take minutes
 * to create, and the mock keeps its own copy of every object in the same heap, which would drown the measurement.
 * Heap is "used after GC", measured before and after each step (a coarse probe, good to about a MiB).
 *
 * <p>A {@code main}, not a JMH benchmark and not part of {@code mvn test}: {@code java -cp
 * controller/target/test-classes:controller/target/classes:<test classpath> dev.weir.agent.AgentMemoryBenchmark
 * [full|trimmed|compact]}, one mode per JVM so that they do not share a heap ({@code compact}: the agent's caches now,
 * pods in {@link CompactPodStore}, namespaces, policies and nodes in {@link SerializedItemStore}, no namespace index). Sizes: {@code -Dweir.bench.pods=N}, {@code .policies},
 * {@code .namespaces}, {@code .nodes}; {@code -Dweir.bench.histogram=N} prints the N classes with the most live bytes
 * after the caches are filled and after the syncs.
 */
public final class AgentMemoryBenchmark {

    static final int NAMESPACES = Integer.getInteger("weir.bench.namespaces", 100);
    static final int PODS = Integer.getInteger("weir.bench.pods", 10_000);
    static final int POLICIES = Integer.getInteger("weir.bench.policies", 1_000);
    static final int NODES = Integer.getInteger("weir.bench.nodes", 100);
    static final int CLUSTER_POLICIES = 10;
    private static final double MIB = 1024.0 * 1024.0;
    private static boolean compact;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "full";
        boolean trimmed = !mode.equals("full");
        compact = mode.equals("compact");
        System.out.printf("mode %s, JVM %s, max heap %.0f MiB, GC %s%n", mode,
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / MIB,
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        // Load and warm every class on the path first, so that class statics do not count as cache.
        fill(new CacheImpl<>(), 3, i -> RealisticObjects.pod(i, NAMESPACES, NODES), trimmed ? TrimmedItemStore.pods() : null);
        fill(new CacheImpl<>(), 3, i -> RealisticObjects.pod(i, NAMESPACES, NODES), new CompactPodStore());
        long start = usedAfterGc();
        System.out.printf("baseline (classes loaded, nothing cached): %.1f MiB%n", start / MIB);

        List<CacheImpl<?>> keep = new ArrayList<>();
        CacheImpl<Namespace> namespaces = measure("Namespace", NAMESPACES, keep,
                i -> RealisticObjects.parse(RealisticObjects.namespaceJson(i), Namespace.class),
                compact ? SerializedItemStore.namespaces() : trimmed ? TrimmedItemStore.namespaces() : null);
        CacheImpl<Pod> pods = measure("Pod", PODS, keep, i -> RealisticObjects.pod(i, NAMESPACES, NODES),
                compact ? new CompactPodStore() : trimmed ? TrimmedItemStore.pods() : null);
        CacheImpl<NetworkPolicy> policies = measure("NetworkPolicy", POLICIES, keep,
                i -> RealisticObjects.policy(i, NAMESPACES), compact ? SerializedItemStore.networkPolicies()
                        : trimmed ? TrimmedItemStore.networkPolicies() : null);
        CacheImpl<Node> nodes = measure("Node", NODES, keep,
                i -> RealisticObjects.parse(RealisticObjects.nodeJson(i), Node.class),
                compact ? SerializedItemStore.nodes() : trimmed ? TrimmedItemStore.nodes() : null);
        CacheImpl<dev.weir.crd.ClusterNetworkPolicy> cnps = measure("ClusterNetworkPolicy", CLUSTER_POLICIES, keep,
                i -> RealisticObjects.parse(RealisticObjects.clusterPolicyJson(i),
                        dev.weir.crd.ClusterNetworkPolicy.class),
                trimmed ? TrimmedItemStore.clusterPolicies() : null);
        long cached = usedAfterGc();
        histogram("caches");
        System.out.printf("%-22s %8.1f MiB%n", "all informer caches", (cached - start) / MIB);

        // Full syncs as the agent's sync thread runs them: everything in the caches translated into the cluster state
        // (its incremental graph), the graph snapshot, the node's ruleset. The second one re-translates every object
        // into equal records, which must not leave a second copy behind.
        ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
        Supplier<Collection<Change>> everything = () -> {
            List<Change> out = new ArrayList<>();
            for (CacheImpl<?> cache : keep) {
                cache.list().forEach(o -> out.add(translator.upsert((HasMetadata) o).change()));
            }
            return out;
        };
        AgentLatencyBenchmark.WatchedDataplane dataplane = new AgentLatencyBenchmark.WatchedDataplane();
        SyncWorker worker = new SyncWorker("n1", new PendingChanges(System::nanoTime), new ClusterState(), everything,
                (g, n, l) -> IptablesRenderer.render(g, n, RenderOptions.defaults(), l), dataplane, r -> { },
                new dev.weir.agent.metrics.AgentMetrics(), System::nanoTime);
        long synced = cached;
        for (int round = 1; round <= 2; round++) {
            long t0 = System.nanoTime();
            if (!worker.run(SyncKind.FULL)) {
                throw new IllegalStateException("full sync failed: " + worker.lastError());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            synced = usedAfterGc();
            System.out.printf("%-22s %8.1f MiB  (%d ms; cluster state's incremental graph + graph snapshot + ruleset of"
                    + " n1: %d sets, %d v4 chains)%n", "model side after sync " + round, (synced - cached) / MIB, ms,
                    dataplane.last.sets().size(), dataplane.last.v4().chains().size());
        }
        histogram("after sync");
        System.out.printf("%-22s %8.1f MiB  (caches %.0f%% of it)%n", "total used after GC", synced / MIB,
                100.0 * (cached - start) / synced);
        if (keep.size() != 5 || worker.lastApplied() == null) {
            throw new AssertionError("keep the measured objects reachable until here");
        }
        System.exit(0);
    }

    private static <T extends HasMetadata> CacheImpl<T> measure(String kind, int count, List<CacheImpl<?>> keep,
            IntFunction<T> object, ItemStore<T> store) {
        long before = usedAfterGc();
        CacheImpl<T> cache = new CacheImpl<>();
        fill(cache, count, object, store);
        long after = usedAfterGc();
        keep.add(cache);
        double perObject = (after - before) / (double) count;
        System.out.printf("%-22s %8.1f MiB  %,6d objects  %,8.0f bytes/object%n", kind + " cache",
                (after - before) / MIB, count, perObject);
        return cache;
    }

    private static <T extends HasMetadata> void fill(CacheImpl<T> cache, int count, IntFunction<T> object,
            ItemStore<T> store) {
        if (store != null) {
            cache.setItemStore(store);
        }
        if (compact) { // as the agent's informers: no namespace index
            cache.removeIndexer(CacheImpl.NAMESPACE_INDEX);
        }
        for (int i = 0; i < count; i++) {
            cache.put(object.apply(i));
        }
        if (cache.list().size() != count) {
            throw new AssertionError("keys collide: " + cache.list().size() + " of " + count);
        }
    }

    /** With {@code -Dweir.bench.histogram=N}: the N classes with most live bytes (jcmd's GC.class_histogram). */
    static void histogram(String when) {
        int top = Integer.getInteger("weir.bench.histogram", 0);
        if (top == 0) {
            return;
        }
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] lines = text.split("\n");
            System.out.println("class histogram, " + when + ":");
            for (int i = 0; i < Math.min(lines.length, top + 3); i++) {
                System.out.println(lines[i]);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Used heap after a few full collections (the smallest of four readings). */
    public static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
