package dev.weir.bench;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.ClusterSnapshot;
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
 * Full compile of a generated cluster. {@code size} is {@code pods/policies/namespaces}. The setup prints the heap the
 * compiled graph retains (used heap after GC with and without it), since JMH measures time, not footprint.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmark {

    @Param({"10000/1000/100", "100000/10000/1000"})
    public String size;

    private ClusterSnapshot snapshot;

    @Setup
    public void generate() {
        String[] p = size.split("/");
        snapshot = ClusterGenerator.generate(Integer.parseInt(p[0]), Integer.parseInt(p[1]),
                Integer.parseInt(p[2]), 42);
        long before = Heap.usedAfterGc();
        PolicyGraph graph = PolicyCompiler.compile(snapshot);
        long after = Heap.usedAfterGc();
        // the graph shares the snapshot's records, so this is what the graph adds on top of its input
        System.out.printf("%n[heap] %s: compiled graph retains %.1f MiB beyond its snapshot (%s)%n", size,
                (after - before) / 1048576.0, graph);
    }

    @Benchmark
    public PolicyGraph compile() {
        return PolicyCompiler.compile(snapshot);
    }
}
