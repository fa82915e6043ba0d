package dev.weir.iptables.kernel;

import static dev.weir.iptables.render.PacketPathCluster.CLIENT;
import static dev.weir.iptables.render.PacketPathCluster.CLIENT_KEY;
import static dev.weir.iptables.render.PacketPathCluster.CLIENT_NODE;
import static dev.weir.iptables.render.PacketPathCluster.PORT;
import static dev.weir.iptables.render.PacketPathCluster.SERVER;
import static dev.weir.iptables.render.PacketPathCluster.SERVER_KEY;
import static dev.weir.iptables.render.PacketPathCluster.SERVER_NODE;
import static dev.weir.iptables.render.PacketPathCluster.STREAM_PORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.apply.ApplyReport;
import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.PacketPathCluster;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 14, the packet path at Kubernetes' limits: real TCP between two pods on different nodes, a client on node
 * {@code n1} and a server on node {@code n2}, whose ingress {@link PacketPathCluster} makes a new connection walk
 * through (5,000 NetworkPolicies selecting the node's 110 pods, 50 of them the server, only the last of those
 * admitting the client). Two node namespaces joined by a veth (host-gw's shape: each routes the other's pod range to
 * it), each pod on a routed veth; each node gets the ruleset {@link IptablesRenderer} renders for it with every local
 * pod's interface known (anti-spoofing on, as the agent runs), applied by {@link DataplaneApplier}. The other 109 pods
 * of {@code n2} exist as rules only: their addresses and interface names, which the kernel matches without the
 * interfaces existing.
 *
 * <p>Both nodes track connections in every period, as Kubernetes nodes do ({@code weir.bench.nodeConntrack}, true:
 * a rule of kube-proxy's {@code KUBE-FORWARD} shape after weir's hook). Rulesets, switched on both nodes between
 * periods: <em>no weir</em> (nothing in the filter table),
 * <em>no policy</em> (weir's rules for the same pods without any policy: hooks and anti-spoofing) and
 * <em>policies</em>, the last two each with and without the established-flow fast path (the conntrack mark of
 * {@link RenderOptions#connMark()}, 0 for none), so one run compares both layouts. Loads per period: {@code weir.bench.clients} (8) threads in the client connect to the server and
 * close with a reset ({@link TcpLoad#connects}), {@code weir.bench.seconds} (4) s; then one bulk stream client →
 * server, {@code weir.bench.streamSeconds} (3) s. Each round runs the five rulesets in rotating order;
 * {@code weir.bench.rounds} (5) rounds after a warm-up. Prints each period and a summary: medians (min–max) and the
 * ratio of each round's policies period to its no-policy period. Opt-in, root: {@code ./mvnw -o -q -pl
 * iptables-renderer -am test -Dtest=PacketPathBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dweir.bench=true} (namespaces {@code wdp-*}, or the prefix {@code weir.bench.netns} names).
 */
@EnabledIfSystemProperty(named = "weir.bench", matches = "true")
class PacketPathBenchmarkTest {

    private static final int SECONDS = Integer.getInteger("weir.bench.seconds", 4);
    private static final int STREAM_SECONDS = Integer.getInteger("weir.bench.streamSeconds", 3);
    private static final int ROUNDS = Integer.getInteger("weir.bench.rounds", 5);
    private static final int CLIENTS = Integer.getInteger("weir.bench.clients", 8);
    /**
     * Whether both nodes track connections whatever weir renders, as every Kubernetes node does (kube-proxy's NAT and
     * its {@code KUBE-FORWARD} rules, flannel's masquerade): a rule of kube-proxy's shape after weir's hook,
     * {@code -m conntrack --ctstate INVALID -j DROP}. Without it a namespace tracks connections only while one of
     * weir's rules needs conntrack, so a ruleset that adds the first such rule also adds conntrack's own cost.
     */
    private static final boolean NODE_CONNTRACK = Boolean.parseBoolean(
            System.getProperty("weir.bench.nodeConntrack", "true"));
    /** The namespaces' name prefix, so that two checkouts' runs do not meet. */
    private static final String PREFIX = System.getProperty("weir.bench.netns", "wdp-");

    enum Variant {
        BARE("no weir", false, true), NO_POLICY_SLOW("no policy, no fast path", false, false),
        POLICIES_SLOW("policies, no fast path", true, false), NO_POLICY("no policy", false, true),
        POLICIES("policies", true, true);

        final String label;
        final boolean policies;
        /** Rendered with the established-flow fast path ({@link RenderOptions#fastPath()}). */
        final boolean fastPath;

        Variant(String label, boolean policies, boolean fastPath) {
            this.label = label;
            this.policies = policies;
            this.fastPath = fastPath;
        }

        /** The no-policy variant of the same layout, which this one's ratios are taken against. */
        Variant baseline() {
            return fastPath ? NO_POLICY : NO_POLICY_SLOW;
        }
    }

    record Sample(Variant variant, int round, double seconds, TcpLoad.Count connects, long synRetransmits,
            double streamSeconds, TcpLoad.Count stream, long allowedByLastPolicy) {

        double connectsPerSecond() {
            return connects.done() / seconds;
        }

        double cpuMicrosPerConnect() {
            return connects.cpuNanos() / 1e3 / Math.max(1, connects.done());
        }

        double gbitPerSecond() {
            return stream.done() * 8 / 1e9 / streamSeconds;
        }

        /** The sender's CPU per GiB streamed, ms. */
        double cpuMsPerGib() {
            return stream.cpuNanos() / 1e6 / Math.max(1e-9, stream.done() / (double) (1L << 30));
        }
    }

    /** The two nodes and their pods, with each ruleset rendered for each node. */
    private static final class Nodes implements AutoCloseable {

        final Map<Variant, Ruleset> client = new EnumMap<>(Variant.class);
        final Map<Variant, Ruleset> server = new EnumMap<>(Variant.class);
        final DataplaneApplier clientApplier;
        final DataplaneApplier serverApplier;
        final CommandRunner serverNode;
        final CommandRunner clientPod;
        final NetworkNamespace clientNs;
        final TcpLoad.Server connectServer;
        final TcpLoad.Server streamServer;

        Nodes(Kernel kernel, PacketPathCluster cluster) throws Exception {
            String na = kernel.create("n1");
            String nb = kernel.create("n2");
            kernel.ip(na, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", nb);
            kernel.ip(na, "addr", "add", "192.168.77.1/24", "dev", "eth0");
            kernel.ip(nb, "addr", "add", "192.168.77.2/24", "dev", "eth0");
            kernel.ip(na, "link", "set", "eth0", "up");
            kernel.ip(nb, "link", "set", "eth0", "up");
            kernel.ip(na, "route", "add", "10.248.2.0/24", "via", "192.168.77.2");
            kernel.ip(nb, "route", "add", "10.248.1.0/24", "via", "192.168.77.1");
            String c = kernel.create("client");
            String s = kernel.create("server");
            kernel.routedPod(na, c, PacketPathCluster.interfaceOf(CLIENT_KEY), CLIENT, "10.248.1.1");
            kernel.routedPod(nb, s, PacketPathCluster.interfaceOf(SERVER_KEY), SERVER, "10.248.2.1");
            CommandRunner clientNode = kernel.runner(na);
            serverNode = kernel.runner(nb);
            for (CommandRunner r : List.of(clientNode, serverNode)) {
                r.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).orThrow();
                if (NODE_CONNTRACK) {
                    r.run(List.of("iptables-nft", "-w", "-A", "FORWARD", "-m", "conntrack", "--ctstate", "INVALID",
                            "-j", "DROP")).orThrow();
                }
            }
            clientPod = kernel.runner(c);
            clientNs = kernel.namespace(c);
            CommandRunner serverPod = kernel.runner(s);
            serverPod.run(List.of("sysctl", "-q", "-w", "net.core.somaxconn=65535")).orThrow();
            PolicyGraph with = cluster.graph();
            PolicyGraph without = cluster.withoutPolicies();
            for (String node : List.of(CLIENT_NODE, SERVER_NODE)) {
                Map<Variant, Ruleset> of = node.equals(CLIENT_NODE) ? client : server;
                of.put(Variant.BARE, new Ruleset(node, List.of(), new FamilyRuleset(IpFamily.V4, List.of(), List.of()),
                        new FamilyRuleset(IpFamily.V6, List.of(), List.of())));
                for (Variant v : Variant.values()) {
                    if (v != Variant.BARE) {
                        RenderOptions options = v.fastPath ? RenderOptions.defaults()
                                : RenderOptions.defaults().withConnMark(0);
                        of.put(v, IptablesRenderer.render(v.policies ? with : without, node, options,
                                cluster.localNetwork(node)));
                    }
                }
            }
            clientApplier = new DataplaneApplier(clientNode, IptablesBackend.NFT);
            serverApplier = new DataplaneApplier(serverNode, IptablesBackend.NFT);
            NetworkNamespace serverNs = kernel.namespace(s);
            connectServer = new TcpLoad.Server(serverNs, SERVER, PORT, 4, 65535);
            streamServer = new TcpLoad.Server(serverNs, SERVER, STREAM_PORT, 1, 16, 256 * 1024);
        }

        /** Applies {@code v} on both nodes; the server node's apply report. */
        ApplyReport use(Variant v) {
            clientApplier.apply(client.get(v));
            return serverApplier.apply(server.get(v));
        }

        /**
         * Packets a policy rule of the server node has admitted so far (the rules that set the accept mark): every new
         * connection of the client, which only {@code t0/zz-clients} admits, so none went past the policies.
         */
        long allowedByLastPolicy() {
            long n = 0;
            String save = serverNode.run(List.of("iptables-nft-save", "-c", "-t", "filter")).orThrow().stdout();
            for (String line : save.split("\n")) {
                if (line.endsWith("-j MARK --set-xmark 0x100000/0x100000")) {
                    n += Long.parseLong(line.substring(1, line.indexOf(':')));
                }
            }
            return n;
        }

        @Override
        public void close() throws Exception {
            try {
                connectServer.close();
            } finally {
                streamServer.close();
            }
        }
    }

    @Test
    void newConnectionsWithFiveThousandPoliciesKeepNineTenthsOfTheRate() throws Exception {
        Kernel.assumeKernelTools();
        PacketPathCluster cluster = new PacketPathCluster(Integer.getInteger("weir.bench.policies", 5000),
                Integer.getInteger("weir.bench.localPods", 110), Integer.getInteger("weir.bench.selecting", 50));
        List<Sample> samples = new ArrayList<>();
        try (Kernel kernel = new Kernel(PREFIX); Nodes nodes = new Nodes(kernel, cluster)) {
            for (Variant v : Variant.values()) {
                ApplyReport report = nodes.use(v);
                System.out.printf(Locale.ROOT, "%s: server node applied in %d ms (%s)%n", v.label,
                        report.total().toMillis(), report.summary());
                measure(nodes, v, 0, 1, 1); // warm-up: the JIT, neighbour entries, conntrack
            }
            for (int round = 1; round <= ROUNDS; round++) {
                for (int i = 0; i < Variant.values().length; i++) {
                    Variant v = Variant.values()[(i + round) % Variant.values().length];
                    nodes.use(v);
                    Sample s = measure(nodes, v, round, SECONDS, STREAM_SECONDS);
                    System.out.println(row(s));
                    samples.add(s);
                }
            }
        }
        System.out.println(summary(cluster, samples));
        for (Sample s : samples) {
            assertThat(s.connects().failed()).as("failed connects, %s", s).isZero();
            assertThat(s.stream().failed()).as("failed stream, %s", s).isZero();
            if (s.variant().policies) {
                assertThat(s.allowedByLastPolicy()).as("every connect admitted by a policy rule, %s", s)
                        .isEqualTo(s.connects().done());
            }
        }
    }

    /**
     * What the pieces of a policy walk cost a new connection, amplified: with the no-policy ruleset, a chain
     * {@code BENCH-DETOUR} entered from the top of the server node's FORWARD by the client's new connections holds
     * {@code weir.bench.copies} (50) copies of one piece: a rule whose first match fails ({@code -p udp}); the shape of
     * a policy rule whose peer set misses ({@code -p tcp -m set --match-set … src -m tcp --dport}); a jump into an
     * empty chain and the accept check after it; a whole policy (jump, its rule, the check). CPU per connect,
     * {@code weir.bench.detourSeconds} (2) per period, rotating order, {@code weir.bench.rounds} rounds.
     */
    @Test
    void whatThePiecesOfAPolicyWalkCost() throws Exception {
        Kernel.assumeKernelTools();
        int copies = Integer.getInteger("weir.bench.copies", 50);
        int detourSeconds = Integer.getInteger("weir.bench.detourSeconds", 2);
        String set = "-m set --match-set bench-peers src";
        String[] names = {"nothing", "-p udp (first match fails)", "-p tcp, set misses, --dport",
            "-p tcp --dport, then set misses", "jump to an empty chain + accept check",
            "policy: jump, set rule, accept check", "once: list:set of the copies' sets (all miss)",
            "policy per copy, each its own set (all miss)"};
        String[][] pieces = {{}, {"-p udp -j RETURN"}, {"-p tcp " + set + " -m tcp --dport 8080 -j RETURN"},
            {"-p tcp -m tcp --dport 8080 " + set + " -j RETURN"},
            {"-j BENCH-EMPTY", "-m mark --mark 0x10000000/0x10000000 -j RETURN"},
            {"-j BENCH-POLICY", "-m mark --mark 0x10000000/0x10000000 -j RETURN"}, {}, {}};
        List<List<TcpLoad.Count>> counts = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            counts.add(new ArrayList<>());
        }
        PacketPathCluster cluster = new PacketPathCluster(100, 110, 10);
        try (Kernel kernel = new Kernel(PREFIX); Nodes nodes = new Nodes(kernel, cluster)) {
            nodes.use(Variant.NO_POLICY);
            CommandRunner node = nodes.serverNode;
            StringBuilder members = new StringBuilder("create bench-peers hash:ip family inet hashsize 1024 "
                    + "maxelem 1048576\n");
            for (int i = 0; i < 200; i++) {
                members.append("add bench-peers 10.250.").append(i / 100).append('.').append(i % 100).append('\n');
            }
            members.append("create bench-list list:set\n");
            for (int c = 0; c < copies; c++) {
                members.append("create bench-p").append(c).append(" hash:ip family inet hashsize 1024 maxelem 1048576\n");
                for (int i = 0; i < 4; i++) {
                    members.append("add bench-p").append(c).append(" 10.251.").append(c).append('.').append(i)
                            .append('\n');
                }
                members.append("add bench-list bench-p").append(c).append('\n');
            }
            node.run(List.of("ipset", "restore"), members.toString()).orThrow();
            measureDetour(nodes, 1);
            for (int round = 1; round <= ROUNDS; round++) {
                for (int i = 0; i < names.length; i++) {
                    int v = (i + round) % names.length;
                    StringBuilder script = new StringBuilder("*filter\n:BENCH-DETOUR - [0:0]\n:BENCH-EMPTY - [0:0]\n"
                            + ":BENCH-POLICY - [0:0]\n-A BENCH-POLICY -p tcp " + set
                            + " -m tcp --dport 8080 -j MARK --set-xmark 0x10000000/0x10000000\n");
                    for (int c = 0; c < copies; c++) {
                        script.append(":BENCH-P").append(c).append(" - [0:0]\n");
                    }
                    for (int c = 0; c < copies; c++) {
                        for (String piece : pieces[v]) {
                            script.append("-A BENCH-DETOUR ").append(piece).append('\n');
                        }
                        if (v == 7) {
                            script.append("-A BENCH-P").append(c)
                                    .append(" -p tcp -m set --match-set bench-p").append(c)
                                    .append(" src -m tcp --dport 8080 -j MARK --set-xmark 0x10000000/0x10000000\n")
                                    .append("-A BENCH-DETOUR -j BENCH-P").append(c).append('\n')
                                    .append("-A BENCH-DETOUR -m mark --mark 0x10000000/0x10000000 -j RETURN\n");
                        }
                    }
                    if (v == 6) {
                        script.append("-A BENCH-DETOUR -p tcp -m set --match-set bench-list src -m tcp --dport 8080 "
                                + "-j RETURN\n");
                    }
                    script.append("COMMIT\n");
                    node.run(List.of("iptables-nft", "-w", "-D", "FORWARD", "-s", CLIENT + "/32", "-m", "conntrack",
                            "--ctstate", "NEW", "-j", "BENCH-DETOUR"));
                    node.run(List.of("iptables-nft-restore", "--noflush"), script.toString()).orThrow();
                    node.run(List.of("iptables-nft", "-w", "-I", "FORWARD", "1", "-s", CLIENT + "/32", "-m",
                            "conntrack", "--ctstate", "NEW", "-j", "BENCH-DETOUR")).orThrow();
                    counts.get(v).add(measureDetour(nodes, detourSeconds));
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n%d copies in front of weir's chains, "
                + "%d rounds of %d s, %d threads%n| piece | connects/s | CPU µs/connect | ns per copy |%n|---|---|---|"
                + "---|%n", copies, ROUNDS, detourSeconds, CLIENTS));
        double base = 0;
        for (int v = 0; v < names.length; v++) {
            double[] cpu = counts.get(v).stream().mapToDouble(c -> c.cpuNanos() / 1e3 / c.done()).sorted().toArray();
            double[] rate = counts.get(v).stream().mapToDouble(c -> c.done() / (double) detourSeconds).sorted()
                    .toArray();
            if (v == 0) {
                base = median(cpu);
            }
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f (%.1f–%.1f) | %.0f |%n", names[v],
                    median(rate), median(cpu), cpu[0], cpu[cpu.length - 1], (median(cpu) - base) * 1e3 / copies));
        }
        System.out.println(out);
    }

    private static TcpLoad.Count measureDetour(Nodes nodes, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        TcpLoad.Count c = TcpLoad.sum(TcpLoad.startIn(nodes.clientNs, CLIENTS,
                () -> TcpLoad.connects(SERVER, PORT, deadline)));
        assertThat(c.failed()).as("failed connects").isZero();
        return c;
    }

    private static Sample measure(Nodes nodes, Variant v, int round, int seconds, int streamSeconds) throws Exception {
        long retransmits = tcpExt(nodes.clientPod, "TCPSynRetrans");
        long allowed = nodes.allowedByLastPolicy();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        TcpLoad.Count connects = TcpLoad.sum(TcpLoad.startIn(nodes.clientNs, CLIENTS,
                () -> TcpLoad.connects(SERVER, PORT, deadline)));
        double elapsed = (System.nanoTime() - start) / 1e9;
        long admitted = nodes.allowedByLastPolicy() - allowed;
        long streamStart = System.nanoTime();
        long streamDeadline = streamStart + streamSeconds * 1_000_000_000L;
        TcpLoad.Count stream = TcpLoad.sum(TcpLoad.startIn(nodes.clientNs, 1,
                () -> TcpLoad.stream(SERVER, STREAM_PORT, streamDeadline)));
        double streamElapsed = (System.nanoTime() - streamStart) / 1e9;
        return new Sample(v, round, elapsed, connects, tcpExt(nodes.clientPod, "TCPSynRetrans") - retransmits,
                streamElapsed, stream, admitted);
    }

    private static long tcpExt(CommandRunner pod, String counter) {
        String[] lines = pod.run(List.of("cat", "/proc/net/netstat")).orThrow().stdout().split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            String[] names = lines[i].split(" ");
            String[] values = lines[i + 1].split(" ");
            for (int j = 1; j < names.length; j++) {
                if (names[0].equals("TcpExt:") && names[j].equals(counter)) {
                    return Long.parseLong(values[j]);
                }
            }
        }
        throw new IllegalStateException("no TcpExt " + counter);
    }

    private static String row(Sample s) {
        return String.format(Locale.ROOT, "round %d | %-24s | connects %,7.0f/s %5.1f µs CPU (%d failed, %d SYN "
                + "retransmits, %,d admitted by a policy rule) | stream %5.2f Gbit/s %6.1f ms CPU/GiB", s.round(),
                s.variant().label, s.connectsPerSecond(), s.cpuMicrosPerConnect(), s.connects().failed(),
                s.synRetransmits(), s.allowedByLastPolicy(), s.gbitPerSecond(), s.cpuMsPerGib());
    }

    private static String summary(PacketPathCluster cluster, List<Sample> samples) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n%,d policies, %d local pods, the server "
                + "selected by %d; %d rounds of %d s connects (%d threads) and %d s stream; nodes track connections "
                + "whatever the rules: %s%n| rules | connects/s | "
                + "CPU µs/connect | stream Gbit/s | sender CPU ms/GiB |%n|---|---|---|---|---|%n", cluster.policies(),
                cluster.localPods(), cluster.selecting(), ROUNDS, SECONDS, CLIENTS, STREAM_SECONDS, NODE_CONNTRACK));
        for (Variant v : Variant.values()) {
            List<Sample> of = of(samples, v);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", v.label,
                    spread(of, Sample::connectsPerSecond, "%,.0f"), spread(of, Sample::cpuMicrosPerConnect, "%.1f"),
                    spread(of, Sample::gbitPerSecond, "%.2f"), spread(of, Sample::cpuMsPerGib, "%.0f")));
        }
        for (Variant v : List.of(Variant.POLICIES_SLOW, Variant.POLICIES)) {
            out.append(String.format(Locale.ROOT, "%n%s / %s, each round's pair, median (min–max):%n", v.label,
                    v.baseline().label));
            out.append(ratio(samples, v.baseline(), v, "connects/s", Sample::connectsPerSecond));
            out.append(ratio(samples, v.baseline(), v, "CPU µs/connect", Sample::cpuMicrosPerConnect));
            out.append(ratio(samples, v.baseline(), v, "stream Gbit/s", Sample::gbitPerSecond));
            out.append(ratio(samples, v.baseline(), v, "sender CPU ms/GiB", Sample::cpuMsPerGib));
            out.append(String.format(Locale.ROOT, "%s / no weir:%n", v.label));
            out.append(ratio(samples, Variant.BARE, v, "connects/s", Sample::connectsPerSecond));
            out.append(ratio(samples, Variant.BARE, v, "CPU µs/connect", Sample::cpuMicrosPerConnect));
        }
        out.append(String.format(Locale.ROOT, "%nno policy / no policy, no fast path (the fast path's own cost):%n"));
        out.append(ratio(samples, Variant.NO_POLICY_SLOW, Variant.NO_POLICY, "connects/s",
                Sample::connectsPerSecond));
        out.append(ratio(samples, Variant.NO_POLICY_SLOW, Variant.NO_POLICY, "CPU µs/connect",
                Sample::cpuMicrosPerConnect));
        return out.toString();
    }

    private static List<Sample> of(List<Sample> samples, Variant v) {
        return samples.stream().filter(s -> s.variant() == v).toList();
    }

    private static String ratio(List<Sample> samples, Variant base, Variant over, String what,
            ToDoubleFunction<Sample> f) {
        List<Sample> b = of(samples, base);
        List<Sample> p = of(samples, over);
        double[] r = new double[Math.min(b.size(), p.size())];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(p.get(i)) / f.applyAsDouble(b.get(i));
        }
        Arrays.sort(r);
        return String.format(Locale.ROOT, "  %s: %.3f (%.3f–%.3f), each round %s%n", what, median(r), r[0],
                r[r.length - 1], Arrays.toString(Arrays.stream(r).map(x -> Math.rint(x * 1000) / 1000).toArray()));
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
