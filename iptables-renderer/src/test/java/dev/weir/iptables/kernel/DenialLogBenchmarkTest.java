package dev.weir.iptables.kernel;

import static dev.weir.iptables.kernel.ShopCluster.PORT;
import static dev.weir.iptables.kernel.ShopCluster.WEB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.render.DenialLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.FutureTask;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 16, the denied-traffic log's cost on the packet path: real TCP through {@link ShopNode} (a node namespace,
 * pods on routed veths, weir's ruleset for {@link ShopCluster}), with the log on (NFLOG rules at the default limit,
 * 100/s with bursts of 200, and a reader consuming group 1047) against off (no NFLOG rule, no reader). Loads:
 *
 * <ul>
 * <li>{@code allowed}: four threads in shop/frontend connect to shop/web:8080 and close, for the whole period;</li>
 * <li>{@code allowed + denied}: the same while shop/batch sends {@code weir.bench.denied} (2,000) SYNs a second to
 * web:8080, twenty times what is logged, which web's default deny drops;</li>
 * <li>{@code denied flood}: shop/batch alone sends SYNs as fast as one thread goes: past the limit every packet pays
 * the hashlimit check and no more, so the difference is that check's cost.</li>
 * </ul>
 *
 * <p>Each round measures every load with the log off and on, back to back in alternating order, for
 * {@code weir.bench.seconds} (4) each; {@code weir.bench.rounds} (3) rounds. Per period: connects made and failed and
 * the client threads' CPU time, the client's SYN retransmits (a dropped SYN goes again after a second), SYNs sent and
 * the sender's CPU time, the node's policy drops and INVALID drops, packets past the NFLOG rules' hashlimit (the rule
 * counters), what the reader read and lost and its CPU time. Prints every period and a summary for
 * docs/benchmarks.md; on the shared machine the paired on/off ratio of each round is what to read, the absolute rates
 * move with the other tenants. Opt-in, root: {@code ./mvnw -o -q -pl iptables-renderer -am test
 * -Dtest=DenialLogBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Dweir.bench=true}.
 */
@EnabledIfSystemProperty(named = "weir.bench", matches = "true")
class DenialLogBenchmarkTest {

    private static final int SECONDS = Integer.getInteger("weir.bench.seconds", 4);
    private static final int ROUNDS = Integer.getInteger("weir.bench.rounds", 3);
    private static final int DENIED_RATE = Integer.getInteger("weir.bench.denied", 2000);
    private static final int DETOUR_SECONDS = Integer.getInteger("weir.bench.detourSeconds", 2);
    private static final int CLIENTS = 4;
    private static final int COPIES = 100;
    /** The rendered NFLOG rule's form with a table of its own, and a group nobody reads. */
    private static final String PAST_LIMIT = "-m hashlimit --hashlimit-upto 100/sec --hashlimit-burst 200 "
            + "--hashlimit-name bench-100-200 -m comment --comment bench -j NFLOG --nflog-prefix bench "
            + "--nflog-group 1048 --nflog-threshold 1";

    /** A load: how many threads connect as the allowed client, and how fast the denied one sends (-1: not at all). */
    enum Load {
        ALLOWED("allowed", CLIENTS, -1),
        ALLOWED_AND_DENIED(String.format(Locale.ROOT, "allowed + denied %,d/s", DENIED_RATE), CLIENTS, DENIED_RATE),
        DENIED_FLOOD("denied flood", 0, 0);

        final String label;
        final int clients;
        final int deniedRate;

        Load(String label, int clients, int deniedRate) {
            this.label = label;
            this.clients = clients;
            this.deniedRate = deniedRate;
        }

        boolean denied() {
            return deniedRate >= 0;
        }
    }

    /** One period of one load. */
    record Sample(Load load, boolean logOn, int round, double seconds, TcpLoad.Count connects, long synRetransmits,
            long listenDrops, TcpLoad.Count syns, ShopNode.Counters node, long read, long lost, long overruns,
            long unmapped, long readerCpuNanos) {

        double connectsPerSecond() {
            return connects.done() / seconds;
        }

        double cpuMicrosPerConnect() {
            return connects.cpuNanos() / 1e3 / Math.max(1, connects.done());
        }

        double synsPerSecond() {
            return syns.done() / seconds;
        }

        double cpuMicrosPerSyn() {
            return syns.cpuNanos() / 1e3 / Math.max(1, syns.done());
        }

        /** What the log may take in this period: the whole bucket plus the rate for the time (and 50 ms of slack). */
        long bound() {
            DenialLog d = DenialLog.defaults();
            return d.burst() + (long) Math.ceil(d.ratePerSecond() * (seconds + 0.05));
        }
    }

    @Test
    void theLogCostsAllowedConnectsNothingAndDropsNothingThatShouldPass() throws Exception {
        Kernel.assumeKernelTools();
        List<Sample> samples = new ArrayList<>();
        try (Kernel kernel = new Kernel("wnb-"); ShopNode node = new ShopNode(kernel)) {
            for (Load load : Load.values()) { // warm-up: the JIT, the neighbour entries, the first apply of each ruleset
                measure(node, load, false, 0, 1);
                measure(node, load, true, 0, 1);
            }
            for (int round = 1; round <= ROUNDS; round++) {
                for (Load load : Load.values()) {
                    boolean first = (round + load.ordinal()) % 2 == 0;
                    for (boolean on : new boolean[] {first, !first}) {
                        Sample s = measure(node, load, on, round, SECONDS);
                        System.out.println(row(s));
                        samples.add(s);
                    }
                }
            }
        }
        System.out.println(summary(samples));

        for (Sample s : samples) {
            assertThat(s.connects().failed()).as("failed connects, %s", s).isZero();
            assertThat(s.listenDrops()).as("handshakes the test's server dropped (not the node), %s", s).isZero();
            assertThat(s.synRetransmits()).as("SYNs sent again: one was dropped, %s", s).isZero();
            assertThat(s.node().invalid()).as("INVALID drops, %s", s).isZero();
            assertThat(s.node().dropped()).as("every policy drop is a denied SYN, %s", s)
                    .isLessThanOrEqualTo(s.syns().done());
            if (s.logOn()) {
                assertThat(s.read()).as("read = logged by the kernel, %s", s).isEqualTo(s.node().logged());
                assertThat(s.lost() + s.overruns() + s.unmapped()).as("lost, overruns, unmapped, %s", s).isZero();
                if (s.load().denied()) {
                    assertThat(s.read()).as("logged within burst + rate x time, %s", s).isLessThanOrEqualTo(s.bound())
                            .isGreaterThanOrEqualTo(DenialLog.defaults().burst());
                }
            } else {
                assertThat(s.node().logged()).as("no NFLOG rule with the log off, %s", s).isZero();
            }
        }
    }

    /**
     * The per-packet cost of a log rule past its limit, amplified a hundredfold: the denied flood (log on) with 100
     * copies of the rendered NFLOG rule's form (its own hashlimit table, spent after its burst, so each copy checks the
     * bucket and lets the packet go on) in a chain before weir's, against 100 rules that fail on their first match
     * ({@code -p udp}) and against none. CPU time of the sending thread per SYN, {@code weir.bench.detourSeconds} (2)
     * per period, the three in rotating order each round.
     */
    @Test
    void aLogRulePastItsLimitCostsOnlyItsHashlimitCheck() throws Exception {
        Kernel.assumeKernelTools();
        String[] names = {"no extra rule", COPIES + " × -p udp (first match fails)", COPIES + " × NFLOG past its limit"};
        String[] rules = {null, "-p udp " + PAST_LIMIT, PAST_LIMIT};
        List<List<TcpLoad.Count>> counts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (Kernel kernel = new Kernel("wnb-"); ShopNode node = new ShopNode(kernel)) {
            node.log(true);
            flood(node, 1);
            for (int round = 1; round <= ROUNDS; round++) {
                for (int i = 0; i < names.length; i++) {
                    int v = (i + round) % names.length;
                    node.detour(rules[v], rules[v] == null ? 0 : COPIES);
                    ShopNode.Counters before = node.counters();
                    TcpLoad.Count c = flood(node, DETOUR_SECONDS);
                    assertThat(node.counters().minus(before).dropped()).as("every SYN dropped, %s", names[v])
                            .isEqualTo(c.done());
                    counts.get(v).add(c);
                }
            }
        }
        double[] micros = new double[names.length];
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n%d rounds of %d s, log on%n| in front of "
                + "weir's chains | denied SYNs/s | CPU µs/SYN |%n|---|---|---|%n", ROUNDS, DETOUR_SECONDS));
        for (int v = 0; v < names.length; v++) {
            double[] perSyn = counts.get(v).stream().mapToDouble(c -> c.cpuNanos() / 1e3 / c.done()).sorted()
                    .toArray();
            double[] rate = counts.get(v).stream().mapToDouble(c -> c.done() / (double) DETOUR_SECONDS).sorted()
                    .toArray();
            micros[v] = median(perSyn);
            out.append(String.format(Locale.ROOT, "| %s | %,.0f (%,.0f–%,.0f) | %.2f (%.2f–%.2f) |%n", names[v],
                    median(rate), rate[0], rate[rate.length - 1], micros[v], perSyn[0], perSyn[perSyn.length - 1]));
        }
        out.append(String.format(Locale.ROOT, "one NFLOG rule past its limit: %.0f ns a packet (%.0f ns more than a "
                + "rule whose first match fails)%n", (micros[2] - micros[0]) * 1e3 / COPIES,
                (micros[2] - micros[1]) * 1e3 / COPIES));
        System.out.println(out);
    }

    private static TcpLoad.Count flood(ShopNode node, int seconds) throws Exception {
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        return TcpLoad.sum(TcpLoad.startIn(node.pod("batch"), 1, () -> TcpLoad.syns(WEB, PORT, 0, start, deadline)));
    }

    private static Sample measure(ShopNode node, Load load, boolean on, int round, int seconds) throws Exception {
        node.log(on);
        ShopNode.Counters before = node.counters();
        NflogReader.Status readBefore = node.readerStatus();
        long unmappedBefore = node.unmapped();
        long retransmitsBefore = node.tcpExt("frontend", "TCPSynRetrans");
        long listenDropsBefore = node.tcpExt("web", "ListenDrops");
        long readerCpuBefore = node.readerCpuNanos();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<FutureTask<TcpLoad.Count>> denied = !load.denied() ? List.of()
                : TcpLoad.startIn(node.pod("batch"), 1, () -> TcpLoad.syns(WEB, PORT, load.deniedRate, start, deadline));
        List<FutureTask<TcpLoad.Count>> allowed = TcpLoad.startIn(node.pod("frontend"), load.clients,
                () -> TcpLoad.connects(WEB, PORT, deadline));
        TcpLoad.Count connects = TcpLoad.sum(allowed);
        TcpLoad.Count syns = TcpLoad.sum(denied);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(300); // the reader drains what the kernel has logged
        NflogReader.Status read = node.readerStatus();
        return new Sample(load, on, round, elapsed, connects,
                node.tcpExt("frontend", "TCPSynRetrans") - retransmitsBefore,
                node.tcpExt("web", "ListenDrops") - listenDropsBefore, syns, node.counters().minus(before),
                read.received() - readBefore.received(), read.lost() - readBefore.lost(),
                read.overruns() - readBefore.overruns(), node.unmapped() - unmappedBefore,
                node.readerCpuNanos() - readerCpuBefore);
    }

    private static String row(Sample s) {
        return String.format(Locale.ROOT, "round %d | %-24s | log %-3s | %5.2f s | connects %,7.0f/s %5.1f µs CPU "
                + "(%d failed, %d SYN retransmits) | denied SYNs %,7.0f/s %5.2f µs CPU | node: %,d dropped, %d invalid, "
                + "%,d logged | read %,d (bound %,d), lost %d, overruns %d, reader CPU %.1f ms", s.round(),
                s.load().label, s.logOn() ? "on" : "off", s.seconds(), s.connectsPerSecond(), s.cpuMicrosPerConnect(),
                s.connects().failed(), s.synRetransmits(), s.synsPerSecond(), s.cpuMicrosPerSyn(), s.node().dropped(),
                s.node().invalid(), s.node().logged(), s.read(), s.bound(), s.lost(), s.overruns(),
                s.readerCpuNanos() / 1e6);
    }

    /**
     * One markdown row per load and setting (medians with min-max over the rounds), then per load the on/off ratio of
     * each round's back-to-back pair.
     */
    private static String summary(List<Sample> samples) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n%d rounds of %d s, %d connecting threads%n"
                + "| load | log | allowed connects/s | CPU µs/connect | denied SYNs/s | CPU µs/SYN | failed, SYN "
                + "retransmits | dropped at node / denied SYNs sent | logged / read / bound | reader CPU ms |%n"
                + "|---|---|---|---|---|---|---|---|---|---|%n", ROUNDS, SECONDS, CLIENTS));
        List<String> ratios = new ArrayList<>();
        for (Load load : Load.values()) {
            for (boolean on : new boolean[] {false, true}) {
                List<Sample> of = of(samples, load, on);
                boolean logs = on && load.denied();
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d, %d | %,d / %,d | %s | %s |%n",
                        load.label, on ? "on" : "off",
                        load.clients > 0 ? spread(of, Sample::connectsPerSecond, "%,.0f") : "—",
                        load.clients > 0 ? spread(of, Sample::cpuMicrosPerConnect, "%.1f") : "—",
                        load.denied() ? spread(of, Sample::synsPerSecond, "%,.0f") : "—",
                        load.deniedRate == 0 ? spread(of, Sample::cpuMicrosPerSyn, "%.2f") : "—",
                        of.stream().mapToLong(s -> s.connects().failed()).sum(),
                        of.stream().mapToLong(Sample::synRetransmits).sum(),
                        of.stream().mapToLong(s -> s.node().dropped()).sum(),
                        of.stream().mapToLong(s -> s.syns().done()).sum(),
                        logs ? spread(of, s -> s.node().logged(), "%.0f") + " / " + spread(of, Sample::read, "%.0f")
                                + " / " + spread(of, Sample::bound, "%.0f") : "—",
                        on ? spread(of, s -> s.readerCpuNanos() / 1e6, "%.1f") : "—"));
            }
            if (load.clients > 0) {
                ratios.add(ratio(samples, load, "allowed connects/s", Sample::connectsPerSecond));
                ratios.add(ratio(samples, load, "CPU µs/connect", Sample::cpuMicrosPerConnect));
            } else {
                ratios.add(ratio(samples, load, "denied SYNs/s", Sample::synsPerSecond));
                ratios.add(ratio(samples, load, "CPU µs/SYN", Sample::cpuMicrosPerSyn));
            }
        }
        out.append("\non/off per round, median (min–max) of the rounds' paired ratios:\n");
        ratios.forEach(r -> out.append(r).append('\n'));
        return out.toString();
    }

    private static List<Sample> of(List<Sample> samples, Load load, boolean on) {
        return samples.stream().filter(s -> s.load() == load && s.logOn() == on).toList();
    }

    private static String ratio(List<Sample> samples, Load load, String what, ToDoubleFunction<Sample> f) {
        List<Sample> off = of(samples, load, false);
        List<Sample> on = of(samples, load, true);
        double[] r = new double[Math.min(off.size(), on.size())];
        for (int i = 0; i < r.length; i++) {
            r[i] = 100 * (f.applyAsDouble(on.get(i)) / f.applyAsDouble(off.get(i)) - 1);
        }
        Arrays.sort(r);
        return String.format(Locale.ROOT, "%s, %s: %+.1f %% (%+.1f … %+.1f %%), each round %s", load.label, what,
                median(r), r[0], r[r.length - 1], Arrays.toString(Arrays.stream(r).map(Math::rint).toArray()));
    }

    private static String spread(List<Sample> of, ToDoubleFunction<Sample> f, String format) {
        double[] v = of.stream().mapToDouble(f).sorted().toArray();
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(v), v[0],
                v[v.length - 1]);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
