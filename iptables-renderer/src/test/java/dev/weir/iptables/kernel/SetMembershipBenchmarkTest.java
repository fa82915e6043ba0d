package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.ClusterEvent;
import dev.weir.graph.IncrementalGraph;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.apply.ApplyReport;
import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import dev.weir.iptables.render.SetMemo;
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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 14: a membership change in a 100,000-member set reaches the kernel in under 20 ms. A cluster of 100,000 pods
 * in 100 namespaces on 1,000 nodes and one NetworkPolicy whose ingress peer is {@code namespaceSelector: {}} (every
 * pod of the cluster, so its set holds all 100,000 addresses) is rendered for the node with its 100 selected pods and
 * applied into a throwaway namespace ({@code wdx-…}, iptables-nft). Then, alternately, a pod on another node is
 * created and deleted, each time:
 *
 * <ul>
 *   <li><b>apply</b>: {@link DataplaneApplier#apply} of the new ruleset by the applier that applied the last one
 *       (plan and one {@code ipset restore} of one {@code add} or {@code del}) — the time from the applier being
 *       handed the ruleset until the member is in the kernel;</li>
 *   <li>beside it, the same pod through the agent's pure steps: {@link IncrementalGraph#apply}, the
 *       {@code graph()} snapshot and {@link IptablesRenderer#render} with the agent's {@link SetMemo}, told the
 *       event's delta (the set of 100,000 is patched: the pod's address added or removed, the other members carried
 *       over);</li>
 * </ul>
 * and, for comparison, the full rewrite an apply did before: the set filled into a scratch set and swapped in (the
 * same {@code ipset restore} text {@link IpsetScript#refill} writes). Each sample is checked with {@code ipset test}
 * outside the timing. Opt-in: {@code -Dweir.bench=true} ({@code -Dweir.bench.samples=N}, default 100; root).
 */
@EnabledIfSystemProperty(named = "weir.bench", matches = "true")
class SetMembershipBenchmarkTest {

    private static final int PODS = 100_000;
    private static final int NAMESPACES = 100;
    private static final int NODES = 1_000;
    private static final String NODE = "n0";
    private static final int SAMPLES = Integer.getInteger("weir.bench.samples", 100);
    private static final int WARMUP = 20;

    private final Kernel kernel = new Kernel("wdx-");
    private CommandRunner runner;

    @BeforeEach
    void namespace() {
        Kernel.assumeKernelTools();
        runner = kernel.runner(kernel.create("setbench"));
    }

    @AfterEach
    void removeNamespace() {
        kernel.close();
    }

    @Test
    void oneMemberAddedOrRemovedInAHundredThousandMemberSet() {
        IncrementalGraph graph = new IncrementalGraph();
        for (int n = 0; n < NAMESPACES; n++) {
            graph.apply(new ClusterEvent.Upserted(new Namespace("ns-" + n, Map.of("team", "t" + n % 10))));
        }
        for (int i = 0; i < PODS; i++) {
            graph.apply(new ClusterEvent.Upserted(pod(i)));
        }
        graph.apply(new ClusterEvent.Upserted(new NetworkPolicy("ns-0", "from-everyone", LabelSelector.all(),
                List.of(PolicyType.INGRESS), List.of(new Rule(List.of(new Peer.Pods(LabelSelector.all(),
                        LabelSelector.all())), List.of(PortMatch.Range.single(Protocol.TCP, 8080)))), List.of())));
        SetMemo memo = new SetMemo();
        Ruleset initial = IptablesRenderer.render(graph.graph(), NODE, RenderOptions.defaults(), LocalNetwork.none(),
                memo);
        IpSetSpec everyone = initial.sets().stream().max(Comparator.comparingInt(s -> s.members().size())).orElseThrow();
        assertThat(everyone.members()).hasSize(PODS);
        DataplaneApplier applier = new DataplaneApplier(runner, IptablesBackend.NFT);
        applier.apply(initial);

        List<Long> addApply = new ArrayList<>();
        List<Long> delApply = new ArrayList<>();
        List<Long> graphNanos = new ArrayList<>();
        List<Long> snapshotNanos = new ArrayList<>();
        List<Long> renderNanos = new ArrayList<>();
        List<Long> restoreNanos = new ArrayList<>();
        List<Long> applyCpu = new ArrayList<>();
        List<Long> renderCpu = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int s = 0; s < WARMUP + SAMPLES; s++) {
            Endpoint extra = pod(PODS + s);
            for (boolean add : new boolean[] {true, false}) {
                long t0 = System.nanoTime();
                memo.changed(graph.apply(add ? new ClusterEvent.Upserted(extra)
                        : new ClusterEvent.Deleted(extra.key())));
                long t1 = System.nanoTime();
                PolicyGraph snapshot = graph.graph();
                long t2 = System.nanoTime();
                long c2 = threads.getCurrentThreadCpuTime();
                Ruleset desired = IptablesRenderer.render(snapshot, NODE, RenderOptions.defaults(),
                        LocalNetwork.none(), memo);
                long t3 = System.nanoTime();
                long c3 = threads.getCurrentThreadCpuTime();
                ApplyReport report = applier.apply(desired);
                long t4 = System.nanoTime();
                long c4 = threads.getCurrentThreadCpuTime();
                assertThat(report.setsSwapped()).isEmpty();
                assertThat(report.membersAdded() + report.membersRemoved()).isEqualTo(1);
                String ip = extra.ips().get(0).toString();
                assertThat(runner.run(List.of("ipset", "test", everyone.name(), ip)).exitCode())
                        .as("%s %s", add ? "added" : "removed", ip).isEqualTo(add ? 0 : 1);
                if (s >= WARMUP) {
                    (add ? addApply : delApply).add(t4 - t3);
                    restoreNanos.add(report.setTime().toNanos());
                    applyCpu.add(c4 - c3);
                    renderCpu.add(c3 - c2);
                    graphNanos.add(t1 - t0);
                    snapshotNanos.add(t2 - t1);
                    renderNanos.add(t3 - t2);
                }
            }
        }

        List<Long> swap = new ArrayList<>();
        String refill = IpsetScript.restore().refill(List.of(everyone)).text();
        for (int s = 0; s < 3 + Math.max(10, SAMPLES / 5); s++) {
            long t0 = System.nanoTime();
            runner.run(List.of("ipset", "restore"), refill).orThrow();
            if (s >= 3) {
                swap.add(System.nanoTime() - t0);
            }
        }

        System.out.printf("SetMembershipBenchmarkTest: %d pods, set %s of %d members, %d samples each%n", PODS,
                everyone.name(), everyone.members().size(), SAMPLES);
        System.out.println("| step | p50 | p99 | max |");
        System.out.println("|---|---|---|---|");
        row("apply: one member added (plan + `ipset restore` of one add)", addApply);
        row("apply: one member removed (plan + `ipset restore` of one del)", delApply);
        row("of which the one `ipset restore` (both kinds)", restoreNanos);
        row("apply's own CPU time (this thread: plan, script, report; the process not counted)", applyCpu);
        row("before: the set rewritten into a scratch set and swapped (`ipset restore` alone, n=" + swap.size() + ")",
                swap);
        row("IncrementalGraph.apply (the event)", graphNanos);
        row("graph() snapshot", snapshotNanos);
        row("IptablesRenderer.render of the node", renderNanos);
        row("IptablesRenderer.render, CPU time", renderCpu);
    }

    private static Endpoint pod(int i) {
        IpAddress ip = IpAddress.parse("10." + (1 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255));
        return new Endpoint("ns-" + i % NAMESPACES, "p" + i, Map.of("app", "a" + i % 10), List.of(ip),
                "n" + i % NODES, false, PodPhase.RUNNING, List.of());
    }

    private static void row(String what, List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        System.out.printf("| %s | %.1f ms | %.1f ms | %.1f ms |%n", what, pct(sorted, 0.50), pct(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1)) / 1e6;
    }
}
