package dev.weir.bench;

import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.DriftReport;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the periodic drift check costs at 10,000 rules and 100,000 set members (root only; {@code wrb-drift-*}):
 * {@code cleanCheck} is the check that finds nothing (two {@code iptables-save}, one {@code ipset save}, parse and
 * compare), {@code kernelReads} the same three commands without parsing, {@code parseAndCompare} the check over
 * replayed output (its Java side alone), and {@code repairOneMember} a check that finds one removed set member plus
 * the apply that puts it back.
 *
 * <pre>bench/run iptables-renderer DriftBenchmark -f 1 -wi 3 -i 10</pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DriftBenchmark {

    /** 1,400 policy chains and 250 local pods: 10,003 rules; 500 peer sets of 100-300 members: ≈100,000 members. */
    static final ApplyBenchmark.Shape LARGE = new ApplyBenchmark.Shape(250, 1_400, 500, 100, 300, 50_000);

    @Param({"nft", "legacy"})
    public String backendName;

    /** {@code large}: 10,000 rules and 100,000 members; {@code node}: ApplyBenchmark's node (≈2,800 rules, ≈30,000). */
    @Param({"large", "node"})
    public String size;

    private Ruleset ruleset;
    private IpSetSpec tampered;
    private BenchNamespace netns;
    private IptablesBackend backend;
    private DataplaneApplier applier;
    private DataplaneApplier replaying;

    @Setup(Level.Trial)
    public void applyLargeRuleset() {
        ruleset = ApplyBenchmark.synthesize(size.equals("large") ? LARGE : ApplyBenchmark.Shape.NODE, new Random(42),
                "10.1.2.3");
        tampered = ruleset.sets().get(0);
        backend = IptablesBackend.parse(backendName);
        netns = new BenchNamespace("wrb-drift-", backend);
        NamespaceCommandRunner runner = netns.runner();
        applier = new DataplaneApplier(runner, backend);
        applier.apply(ruleset);
        DriftReport first = applier.checkDrift(ruleset);
        if (!first.isClean()) {
            throw new IllegalStateException("the freshly applied ruleset already drifted: " + first);
        }
        Map<List<String>, CommandRunner.Result> recorded = new HashMap<>();
        replaying = new DataplaneApplier((argv, stdin) -> recorded.computeIfAbsent(argv, a -> runner.run(a, stdin)),
                backend);
        replaying.checkDrift(ruleset);
        long rules = ruleset.v4().chains().stream().mapToLong(c -> c.rules().size()).sum();
        long members = ruleset.sets().stream().mapToLong(s -> s.members().size()).sum();
        System.out.printf("%n%d rules in %d chains, %d members in %d sets%n", rules, ruleset.v4().chains().size(),
                members, ruleset.sets().size());
    }

    @TearDown(Level.Trial)
    public void deleteNamespace() {
        netns.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object cleanCheck() {
        DriftReport report = applier.checkDrift(ruleset);
        if (!report.isClean()) {
            throw new IllegalStateException(report.toString());
        }
        return report;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object kernelReads() {
        NamespaceCommandRunner runner = netns.runner();
        runner.run(backend.saveFilter(IpFamily.V4)).orThrow();
        runner.run(backend.saveFilter(IpFamily.V6)).orThrow();
        return runner.run(List.of("ipset", "save")).orThrow();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object parseAndCompare() {
        return replaying.checkDrift(ruleset);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public Object repairOneMember(RemovedMember removed) {
        DriftReport report = applier.checkDrift(ruleset);
        if (report.alteredSets().size() != 1) {
            throw new IllegalStateException("expected one altered set: " + report);
        }
        return applier.apply(ruleset);
    }

    /** Deletes one member of one set before each repair; the deletion is not measured. */
    @State(Scope.Thread)
    public static class RemovedMember {
        @Setup(Level.Invocation)
        public void delete(DriftBenchmark b) {
            b.netns.runner().run(List.of("ipset", "del", b.tampered.name(), b.tampered.members().get(0))).orThrow();
        }
    }
}
