package dev.weir.bench;

import dev.weir.graph.ClusterEvent;
import dev.weir.graph.GraphDelta;
import dev.weir.graph.IncrementalGraph;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One event on an incrementally maintained graph of a generated cluster. Each benchmark alternates between two
 * states so that every invocation is a real change (add/delete, label A/B), never an idempotent no-op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IncrementalBenchmark {

    @Param({"10000/1000/100"})
    public String size;

    private IncrementalGraph graph;
    private ClusterEvent addPod;
    private ClusterEvent deletePod;
    private ClusterEvent[] relabelPod;
    private ClusterEvent[] relabelNamespace;
    private long n;

    @Setup
    public void build() {
        String[] p = size.split("/");
        int pods = Integer.parseInt(p[0]);
        int namespaces = Integer.parseInt(p[2]);
        ClusterSnapshot snapshot = ClusterGenerator.generate(pods, Integer.parseInt(p[1]), namespaces, 42);
        long before = Heap.usedAfterGc();
        graph = IncrementalGraph.of(snapshot);
        long after = Heap.usedAfterGc();
        System.out.printf("%n[heap] %s: incremental graph with its indexes retains %.1f MiB%n", size,
                (after - before) / 1048576.0);

        Random random = new Random(1);
        Endpoint fresh = ClusterGenerator.pod(pods, namespaces, pods, random); // pod number `pods` is new
        addPod = new ClusterEvent.Upserted(fresh);
        deletePod = new ClusterEvent.Deleted(ObjectKey.pod(fresh.namespace(), fresh.name()));

        Endpoint existing = snapshot.endpoints().get(pods / 2);
        relabelPod = new ClusterEvent[] {
            new ClusterEvent.Upserted(withLabel(existing, "app", "app-1")),
            new ClusterEvent.Upserted(withLabel(existing, "app", "app-2"))};

        Namespace ns = snapshot.namespaces().get(namespaces / 2);
        relabelNamespace = new ClusterEvent[] {
            new ClusterEvent.Upserted(withLabel(ns, "team", "team-1")),
            new ClusterEvent.Upserted(withLabel(ns, "team", "team-2"))};
    }

    private static Endpoint withLabel(Endpoint e, String key, String value) {
        Map<String, String> labels = new HashMap<>(e.labels());
        labels.put(key, value);
        return new Endpoint(e.namespace(), e.name(), labels, e.ips(), e.node(), e.hostNetwork(), e.phase(), e.ports());
    }

    private static Namespace withLabel(Namespace ns, String key, String value) {
        Map<String, String> labels = new HashMap<>(ns.labels());
        labels.put(key, value);
        return new Namespace(ns.name(), labels);
    }

    /** One pod add or delete (alternating). */
    @Benchmark
    public GraphDelta podAddOrDelete() {
        return graph.apply((n++ & 1) == 0 ? addPod : deletePod);
    }

    /** One pod label change (app flips between two values that different policies select). */
    @Benchmark
    public GraphDelta podLabelChange() {
        return graph.apply(relabelPod[(int) (n++ & 1)]);
    }

    /** One namespace label change (team flips between two values that namespaceSelectors read). */
    @Benchmark
    public GraphDelta namespaceLabelChange() {
        return graph.apply(relabelNamespace[(int) (n++ & 1)]);
    }

    /** The immutable snapshot a sync takes after its events. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public PolicyGraph snapshot() {
        return graph.graph();
    }
}
