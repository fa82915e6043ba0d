package dev.weir.iptables.kernel;

import static dev.weir.iptables.kernel.ShopCluster.BATCH;
import static dev.weir.iptables.kernel.ShopCluster.FRONTEND;
import static dev.weir.iptables.kernel.ShopCluster.WEB;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.apply.CommandRunner;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.nflog.NflogConfig;
import dev.weir.iptables.nflog.NflogPacket;
import dev.weir.iptables.nflog.NflogReader;
import dev.weir.iptables.render.DenialLog;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.PodInterface;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.Ruleset;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node of {@link ShopCluster} in throwaway namespaces: a node namespace with its three pods on routed veths,
 * a {@link TcpLoad.Server} on web, weir's ruleset for the node applied with the denied-traffic log on or off, and
 * (with it on) an {@link NflogReader} on the rules' group that does what the agent's reader does per packet: reads the
 * prefix back through the ruleset and counts the packet into its flow.
 */
final class ShopNode implements AutoCloseable {

    /** Packet counters of the node's rules, summed. */
    record Counters(long logged, long dropped, long invalid) {
        Counters minus(Counters o) {
            return new Counters(logged - o.logged, dropped - o.dropped, invalid - o.invalid);
        }
    }

    /** What the agent aggregates a logged packet by: addresses, destination port and the rule that logged it. */
    private record Flow(IpAddress source, IpAddress destination, int port, String prefix) {
    }

    private static final Pattern COUNTED = Pattern.compile("^\\[(\\d+):\\d+\\] (-A (\\S+) .*)$");

    private final CommandRunner runner;
    private final DataplaneApplier applier;
    private final Ruleset logged;
    private final Ruleset unlogged;
    private final NetworkNamespace node;
    private final Map<String, NetworkNamespace> pods = new TreeMap<>();
    private final Map<String, CommandRunner> podRunners = new TreeMap<>();
    private final TcpLoad.Server server;
    private final Map<Flow, LongAdder> flows = new ConcurrentHashMap<>();
    private final LongAdder unmapped = new LongAdder();
    private NflogReader reader;

    ShopNode(Kernel kernel) throws Exception {
        String nodeName = kernel.create("node");
        runner = kernel.runner(nodeName);
        runner.run(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")).orThrow();
        node = kernel.namespace(nodeName);
        Map<ObjectKey, PodInterface> interfaces = new TreeMap<>();
        Map<String, String> ips = Map.of("web", WEB, "frontend", FRONTEND, "batch", BATCH);
        int k = 0;
        for (String name : new TreeMap<>(ips).keySet()) {
            String ns = kernel.create(name);
            String hostIf = "cali" + name;
            kernel.routedPod(nodeName, ns, hostIf, ips.get(name), "10.247.9." + ++k);
            interfaces.put(ObjectKey.pod("shop", name), PodInterface.routed(hostIf));
            pods.put(name, kernel.namespace(ns));
            podRunners.put(name, kernel.runner(ns));
        }
        PolicyGraph graph = PolicyCompiler.compile(ShopCluster.snapshot());
        LocalNetwork local = new LocalNetwork(interfaces, List.of(), false);
        logged = IptablesRenderer.render(graph, ShopCluster.NODE,
                RenderOptions.defaults().withDenialLog(DenialLog.defaults()), local);
        unlogged = IptablesRenderer.render(graph, ShopCluster.NODE,
                RenderOptions.defaults().withDenialLog(DenialLog.off()), local);
        applier = new DataplaneApplier(runner, IptablesBackend.NFT);
        // 4096 (the default) is a fifth of a second of connects here: a server thread the shared machine keeps off the
        // CPU that long overflows it
        podRunners.get("web").run(List.of("sysctl", "-q", "-w", "net.core.somaxconn=65535")).orThrow();
        server = new TcpLoad.Server(pods.get("web"), WEB, ShopCluster.PORT, 4, 65535);
    }

    NetworkNamespace pod(String name) {
        return pods.get(name);
    }

    /** Applies the ruleset with the log on (and starts a reader) or off (and stops it). */
    void log(boolean on) throws Exception {
        applier.apply(on ? logged : unlogged);
        if (on && reader == null) {
            flows.clear();
            unmapped.reset();
            reader = node.call(() -> NflogReader.start(NflogConfig.of(DenialLog.DEFAULT_GROUP), this::consume));
            long deadline = System.currentTimeMillis() + 5000;
            while (reader.status().state() != NflogReader.State.BOUND) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the NFLOG reader did not bind: " + reader.status());
                }
                Thread.sleep(10);
            }
        } else if (!on && reader != null) {
            reader.close();
            reader = null;
        }
    }

    private void consume(NflogPacket p) {
        if (logged.decision(p.prefix()).isEmpty()) {
            unmapped.increment();
            return;
        }
        flows.computeIfAbsent(new Flow(p.source(), p.destination(), p.destinationPort(), p.prefix()),
                f -> new LongAdder()).increment();
    }

    /** The reader's status (nothing received, nothing lost, while the log is off). */
    NflogReader.Status readerStatus() {
        return reader == null ? new NflogReader.Status(DenialLog.DEFAULT_GROUP, NflogReader.State.CLOSED, 0, 0, 0, 0,
                0, 0, Optional.empty()) : reader.status();
    }

    /** Packets the reader read whose prefix the applied ruleset did not write (0 unless something is wrong). */
    long unmapped() {
        return unmapped.sum();
    }

    /** CPU time the reader's thread has used so far (0 while the log is off). */
    long readerCpuNanos() {
        if (reader == null) {
            return 0;
        }
        String name = "nflog-" + DenialLog.DEFAULT_GROUP;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    /**
     * The node's counters: packets that met an NFLOG rule's target (past the hashlimit), packets dropped by
     * {@code WEIR-FORWARD} for a policy, and packets dropped as conntrack INVALID.
     */
    Counters counters() {
        long nflog = 0;
        long dropped = 0;
        long invalid = 0;
        String save = runner.run(List.of("iptables-nft-save", "-c", "-t", "filter")).orThrow().stdout();
        for (String line : save.split("\n")) {
            Matcher m = COUNTED.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long packets = Long.parseLong(m.group(1));
            String rule = m.group(2);
            if (rule.endsWith("-j NFLOG") || rule.contains("-j NFLOG ")) {
                nflog += packets;
            } else if (rule.contains("INVALID") && rule.endsWith("-j DROP")) {
                invalid += packets;
            } else if (m.group(3).equals("WEIR-FORWARD") && rule.endsWith("-j DROP")) {
                dropped += packets;
            }
        }
        return new Counters(nflog, dropped, invalid);
    }

    /**
     * Puts {@code copies} of {@code rule} (iptables-save text after {@code -A CHAIN}) in a chain {@code BENCH-DETOUR}
     * that the denied pod's packets pass, from the top of FORWARD, before weir's chains; 0 copies removes it.
     */
    void detour(String rule, int copies) {
        runner.run(List.of("iptables-nft", "-w", "-D", "FORWARD", "-s", BATCH + "/32", "-j", "BENCH-DETOUR"));
        runner.run(List.of("iptables-nft", "-w", "-F", "BENCH-DETOUR"));
        runner.run(List.of("iptables-nft", "-w", "-X", "BENCH-DETOUR"));
        if (copies == 0) {
            return;
        }
        StringBuilder script = new StringBuilder("*filter\n:BENCH-DETOUR - [0:0]\n");
        for (int i = 0; i < copies; i++) {
            script.append("-A BENCH-DETOUR ").append(rule).append('\n');
        }
        script.append("-I FORWARD 1 -s ").append(BATCH).append("/32 -j BENCH-DETOUR\nCOMMIT\n");
        runner.run(List.of("iptables-nft-restore", "--noflush"), script.toString()).orThrow();
    }

    /**
     * A {@code TcpExt} counter of pod {@code pod}'s namespace ({@code /proc/net/netstat} read by a process inside it):
     * {@code TCPSynRetrans}, SYNs its connects sent again; {@code ListenDrops}, handshakes its listener dropped.
     */
    long tcpExt(String pod, String counter) {
        String[] lines = podRunners.get(pod).run(List.of("cat", "/proc/net/netstat")).orThrow().stdout().split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            String[] names = lines[i].split(" ");
            String[] values = lines[i + 1].split(" ");
            for (int j = 1; j < names.length; j++) {
                if (names[0].equals("TcpExt:") && names[j].equals(counter)) {
                    return Long.parseLong(values[j]);
                }
            }
        }
        throw new IllegalStateException("no TcpExt " + counter + " in " + pod + "'s /proc/net/netstat");
    }

    @Override
    public void close() throws Exception {
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            server.close();
        }
    }
}
