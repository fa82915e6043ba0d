package dev.weir.agent;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Where the heap of {@link LimitsBenchmarkTest}'s cluster goes, step by step and without a kernel: the cache stores,
 * the translated records, the incremental graph, its snapshot, the ruleset of n0 (with the agent's set memo). A
 * opt-in test: {@code -Dtest=LimitsMemoryBreakdown -Dweir.bench.breakdown=true} ({@code -Dweir.bench.scale=F}).
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "weir.bench.breakdown", matches = "true")
public class LimitsMemoryBreakdown {

    private static final double MIB = 1024.0 * 1024.0;

    @org.junit.jupiter.api.Test
    void breakdown() {
        long start = AgentMemoryBenchmark.usedAfterGc();
        List<CacheImpl<?>> caches = new ArrayList<>();
        caches.add(fill(LimitsBenchmarkTest.NAMESPACES, LimitsBenchmarkTest::namespace,
                SerializedItemStore.namespaces()));
        caches.add(fill(LimitsBenchmarkTest.NODES, LimitsBenchmarkTest::node, SerializedItemStore.nodes()));
        caches.add(fill(LimitsBenchmarkTest.PODS, LimitsBenchmarkTest::pod, new CompactPodStore()));
        caches.add(fill(LimitsBenchmarkTest.POLICIES, LimitsBenchmarkTest::policy,
                SerializedItemStore.networkPolicies()));
        long cached = step("cache stores", start);

        ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
        List<Change> changes = new ArrayList<>();
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (CacheImpl<?> cache : caches) {
            cache.listKeys().forEach(k -> changes.add(translator.upsert((HasMetadata) cache.getByKey(k)).change()));
        }
        System.out.printf("translated in %,d ms of CPU%n",
                (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1_000_000);
        long translated = step("translated records (" + changes.size() + ")", cached);

        ClusterState state = new ClusterState();
        StandardParts.MemoizedRenderer renderer = new StandardParts.MemoizedRenderer(RenderOptions.defaults());
        state.onGraphChange(renderer::graphChanged);
        state.replaceAll(changes);
        long graphed = step("incremental graph, beyond the records", translated);
        changes.clear();
        long recordsOnly = step("records dropped (graph holds them)", graphed);

        PolicyGraph graph = state.graph();
        long snapshot = step("graph snapshot", recordsOnly);
        Ruleset ruleset = renderer.render(graph, "n0", LocalNetwork.none());
        long rendered = step("ruleset of n0 + set memo (" + ruleset.sets().size() + " sets)", snapshot);
        graph = state.graph();
        step("second snapshot, first dropped", rendered);
        AgentMemoryBenchmark.histogram("end");
        System.out.printf("total %.1f MiB%n", AgentMemoryBenchmark.usedAfterGc() / MIB);
        if (caches.size() != 4 || graph == null || ruleset == null) {
            throw new AssertionError();
        }
    }

    private static java.util.Map<String, long[]> last = java.util.Map.of();

    private static long step(String what, long before) {
        long now = AgentMemoryBenchmark.usedAfterGc();
        System.out.printf("%-50s %8.1f MiB%n", what, (now - before) / MIB);
        java.util.Map<String, long[]> h = histogram();
        List<String> names = new ArrayList<>(h.keySet());
        names.addAll(last.keySet());
        java.util.Map<String, long[]> prev = last;
        names.stream().distinct().map(n -> {
            long[] a = h.getOrDefault(n, new long[2]);
            long[] b = prev.getOrDefault(n, new long[2]);
            return new Object[] {n, a[0] - b[0], a[1] - b[1]};
        }).filter(o -> Math.abs((long) o[2]) > 500_000)
                .sorted((x, y) -> Long.compare(Math.abs((long) y[2]), Math.abs((long) x[2])))
                .forEach(o -> System.out.printf("    %+10d %+8.1f MiB %s%n", (long) o[1], (long) o[2] / MIB, o[0]));
        last = h;
        return now;
    }

    private static java.util.Map<String, long[]> histogram() {
        try {
            String text = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            java.util.Map<String, long[]> out = new java.util.HashMap<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cache of {@code count} objects put into {@code store} as an informer's first list puts them. */
    public static <T extends HasMetadata> CacheImpl<T> fill(int count, IntFunction<T> object, ItemStore<T> store) {
        CacheImpl<T> cache = new CacheImpl<>();
        cache.setItemStore(store);
        cache.removeIndexer(CacheImpl.NAMESPACE_INDEX);
        for (int i = 0; i < count; i++) {
            cache.put(object.apply(i));
        }
        return cache;
    }
}
