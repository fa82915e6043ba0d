package dev.weir.bench;

import dev.weir.iptables.apply.Cleanup;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.List;
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
 * Applying a large node ruleset into a throwaway namespace (root only; {@code wrb-bench-*}). The ruleset has the
 * renderer's shape for 1,000 policies over 10,000 pods seen from a node with 110 local pods: per-pod dispatch in the
 * top chains, per-endpoint chains jumping to the ~300 policy chains that select local pods, and ~350 peer sets holding
 * ~30,000 members. {@code fullApply} (weir: read, diff, apply) is compared with {@code rawRestore} (the same payload fed
 * straight to {@code ipset restore} + {@code iptables-restore}); {@code membershipChange} moves one pod in one set.
 *
 * <pre>java -cp ... org.openjdk.jmh.Main ApplyBenchmark -f 1 -wi 3 -i 10</pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ApplyBenchmark {

    /** How big a synthesized node ruleset is; pod addresses are drawn from {@code clusterPods}. */
    record Shape(int localPods, int policies, int groupSets, int minSetSize, int maxSetSize, int clusterPods) {
        /** 1,000 policies over 10,000 pods seen from a node with 110 local pods: ≈2,800 rules, ≈30,000 members. */
        static final Shape NODE = new Shape(110, 300, 300, 10, 200, 10_000);
    }

    static final int BLOCK_SETS = 50;

    @Param({"nft", "legacy"})
    public String backendName;

    private BenchNamespace netns;
    private NamespaceCommandRunner runner;
    private IptablesBackend backend;
    private Ruleset ruleset;
    private Ruleset ruleset2;
    private String rawIpset;
    private String rawIptables;
    private DataplaneApplier warm;
    private boolean flip;

    @Setup(Level.Trial)
    public void createNamespace() {
        backend = IptablesBackend.parse(backendName);
        netns = new BenchNamespace("wrb-bench-", backend);
        runner = netns.runner();
        ruleset = synthesize(Shape.NODE, new Random(42), "10.1.2.3");
        ruleset2 = synthesize(Shape.NODE, new Random(42), "10.1.2.4");
        rawIpset = IpsetScript.install(ruleset.sets());
        rawIptables = RestoreScript.install(ruleset.v4());
        warm = new DataplaneApplier(runner, backend);
        warm.apply(ruleset);
    }

    @TearDown(Level.Trial)
    public void deleteNamespace() {
        netns.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public Object fullApply(EmptyNamespace empty) {
        return new DataplaneApplier(runner, backend).apply(ruleset);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public Object rawRestore(EmptyNamespace empty) {
        runner.run(List.of("ipset", "restore"), rawIpset).orThrow();
        return runner.run(backend.restoreNoflush(IpFamily.V4), rawIptables).orThrow();
    }

    /** One pod joins/leaves one peer set, against the applier's cached view: one {@code ipset restore}. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object membershipChange() {
        flip = !flip;
        return warm.apply(flip ? ruleset2 : ruleset);
    }

    /** A fresh applier re-reading the kernel and finding nothing to do (the restart / resync cost). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public Object noopReapplyFromKernel() {
        return new DataplaneApplier(runner, backend).apply(ruleset);
    }

    /** Empties the namespace before each full apply; the cleanup is not measured. */
    @State(Scope.Thread)
    public static class EmptyNamespace {
        @Setup(Level.Invocation)
        public void clean(ApplyBenchmark b) {
            new Cleanup(b.runner, b.backend).run();
        }
    }

    /** The node's ruleset; {@code movingPod} is the one member of set 0 that differs between the two variants. */
    static Ruleset synthesize(Shape shape, Random rnd, String movingPod) {
        List<IpSetSpec> sets = new ArrayList<>();
        for (int s = 0; s < shape.groupSets(); s++) {
            int size = shape.minSetSize() + rnd.nextInt(shape.maxSetSize() - shape.minSetSize());
            List<String> members = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int pod = rnd.nextInt(shape.clusterPods());
                members.add("10.42." + (pod / 250) + "." + (pod % 250 + 1));
            }
            if (s == 0) {
                members.add(movingPod);
            }
            sets.add(new IpSetSpec(String.format("weir-g4-%012x", s), IpSetSpec.Type.HASH_IP, IpFamily.V4, members));
        }
        for (int s = 0; s < BLOCK_SETS; s++) {
            sets.add(new IpSetSpec(String.format("weir-b4-%012x", s), IpSetSpec.Type.HASH_NET, IpFamily.V4,
                    List.of("172." + (16 + s % 16) + ".0.0/16", "172." + (16 + s % 16) + ".5.0/24 nomatch")));
        }
        List<Chain> chains = new ArrayList<>();
        List<IptablesRule> forward = new ArrayList<>();
        forward.add(rule("conntrack", "-m conntrack --ctstate RELATED,ESTABLISHED", "ACCEPT"));
        forward.add(rule("conntrack", "-m conntrack --ctstate INVALID", "DROP"));
        for (int p = 0; p < shape.policies(); p++) {
            List<IptablesRule> rules = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                String set = sets.get(rnd.nextInt(sets.size())).name();
                rules.add(rule("ns" + p % 40 + "/np" + p, "-p tcp -m tcp --dport " + (80 + r)
                        + " -m set --match-set " + set + " src", "MARK --set-xmark 0x100000/0x100000"));
            }
            rules.add(rule("ns" + p % 40 + "/np" + p, "-m mark --mark 0x100000/0x100000", "RETURN"));
            chains.add(new Chain(String.format("WEIR-PI-%012x", p), rules));
        }
        for (int e = 0; e < shape.localPods(); e++) {
            String ip = "10.43." + (e / 250) + "." + (e % 250 + 1);
            for (String dir : List.of("I", "E")) {
                List<IptablesRule> rules = new ArrayList<>();
                rules.add(rule("endpoint", "", "MARK --set-xmark 0x0/0x100000"));
                for (int k = 0; k < 3; k++) {
                    rules.add(rule("endpoint", "", String.format("WEIR-PI-%012x", rnd.nextInt(shape.policies()))));
                }
                rules.add(rule("endpoint", "-m mark ! --mark 0x100000/0x100000",
                        "MARK --set-xmark 0x200000/0x200000"));
                String name = String.format("WEIR-%s-%012x", dir, e);
                chains.add(new Chain(name, rules));
                forward.add(rule("dispatch", (dir.equals("I") ? "-d " : "-s ") + ip + "/32", name));
            }
        }
        forward.add(rule("verdict", "-m mark --mark 0x200000/0x200000", "DROP"));
        chains.add(0, new Chain("WEIR-FORWARD", forward));
        return new Ruleset("bench", sets,
                new FamilyRuleset(IpFamily.V4, List.of(new Hook("FORWARD", "WEIR-FORWARD")), chains),
                new FamilyRuleset(IpFamily.V6, List.of(), List.of()));
    }

    private static IptablesRule rule(String owner, String matches, String target) {
        return IptablesRule.of(owner, matches, target);
    }
}
