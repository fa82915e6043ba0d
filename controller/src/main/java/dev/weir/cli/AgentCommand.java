package dev.weir.cli;

import dev.weir.agent.AgentConfig;
import dev.weir.agent.DenialLogSettings;
import dev.weir.agent.Durations;
import dev.weir.agent.LocalNetworkSettings;
import dev.weir.agent.LogSetup;
import dev.weir.agent.NodeAgent;
import dev.weir.agent.ReportSettings;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.Cidr;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code weir agent}: the node agent, until SIGTERM. Rules stay in the kernel when it stops. Every flag reads its
 * environment variable when absent ({@code ${env:VAR}} defaults): the contract table of {@code docs/agent.md}.
 */
@Command(name = "agent", sortOptions = false,
        customSynopsis = "weir agent [--node NAME] [FLAGS]",
        description = {"Run the node agent: watch the cluster, program this node's iptables chains and ipsets.", "",
            "Every flag has an environment variable, in brackets; the flag wins."},
        footer = {"", "Durations are written 500ms, 30s, 5m, 1h. Endpoints: /healthz /readyz /metrics."})
public final class AgentCommand implements Subcommand {

    static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

    @Option(names = "--node", paramLabel = "NAME", defaultValue = "${env:NODE_NAME}",
            description = "the node whose pods this agent programs, the downward API's spec.nodeName "
                    + "[NODE_NAME; required]")
    private String node;

    @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "${env:KUBECONFIG}",
            description = "API server access [KUBECONFIG; default: in-cluster config]")
    private String kubeconfig;

    @Option(names = "--resync-interval", paramLabel = "D", converter = PositiveDuration.class,
            defaultValue = "${env:WEIR_RESYNC_INTERVAL:-5m}",
            description = "full recompute and apply even without events [WEIR_RESYNC_INTERVAL; ${DEFAULT-VALUE}]")
    private Duration resyncInterval;

    @Option(names = "--min-sync-interval", paramLabel = "D", defaultValue = "${env:WEIR_MIN_SYNC_INTERVAL:-500ms}",
            description = "bursts of events within this become one apply [WEIR_MIN_SYNC_INTERVAL; ${DEFAULT-VALUE}]")
    private Duration minSyncInterval;

    @Option(names = "--drift-check-interval", paramLabel = "D", converter = PositiveDuration.class,
            defaultValue = "${env:WEIR_DRIFT_CHECK_INTERVAL:-5s}",
            description = "read iptables-save and ipset save, repair drift [WEIR_DRIFT_CHECK_INTERVAL; "
                    + "${DEFAULT-VALUE}]")
    private Duration driftCheckInterval;

    @Option(names = "--revoke-denied-flows", negatable = true, fallbackValue = "true",
            defaultValue = "${env:WEIR_REVOKE_DENIED_FLOWS:-true}",
            description = "after each apply, end the tracked flows of this node's pods that the new policies deny "
                    + "[WEIR_REVOKE_DENIED_FLOWS; ${DEFAULT-VALUE}]")
    private boolean revokeDeniedFlows;

    @Option(names = "--anti-spoofing", negatable = true, fallbackValue = "true",
            defaultValue = "${env:WEIR_ANTI_SPOOFING:-true}",
            description = "find each local pod's host-side interface (host routes, CNI cache) and drop its packets "
                    + "that carry another source address [WEIR_ANTI_SPOOFING; ${DEFAULT-VALUE}]")
    private boolean antiSpoofing;

    @Option(names = "--cni-cache-dir", paramLabel = "DIR",
            defaultValue = "${env:WEIR_CNI_CACHE_DIR:-/var/lib/cni/results}",
            description = "libcni's result cache, where bridged pods' host veths are found [WEIR_CNI_CACHE_DIR; "
                    + "${DEFAULT-VALUE}]")
    private Path cniCacheDir;

    @Option(names = "--unprogrammed-pods", paramLabel = "A", defaultValue = "${env:WEIR_UNPROGRAMMED_PODS:-allow}",
            description = "allow or drop traffic of a local pod address weir has not programmed yet; drop "
                    + "(fail-closed) needs the pod CIDRs [WEIR_UNPROGRAMMED_PODS; ${DEFAULT-VALUE}]")
    private LocalNetworkSettings.UnprogrammedPods unprogrammedPods;

    @Option(names = "--pod-cidrs", paramLabel = "LIST", converter = CidrListConverter.class,
            defaultValue = "${env:WEIR_POD_CIDRS}",
            description = "this node's pod CIDRs, comma-separated [WEIR_POD_CIDRS; default: the Node object's "
                    + "spec.podCIDRs]")
    private CidrList podCidrs;

    @Option(names = "--interface-scan-interval", paramLabel = "D", converter = PositiveDuration.class,
            defaultValue = "${env:WEIR_INTERFACE_SCAN_INTERVAL:-1s}",
            description = "look at host routes and the CNI cache for pod interfaces coming or going "
                    + "[WEIR_INTERFACE_SCAN_INTERVAL; ${DEFAULT-VALUE}]")
    private Duration interfaceScanInterval;

    @Option(names = "--denial-log", negatable = true, fallbackValue = "true",
            defaultValue = "${env:WEIR_DENIAL_LOG:-true}",
            description = "log each dropped packet (rate-limited) to an NFLOG group and write one JSON record per flow "
                    + "and interval naming the policy and rule that dropped it [WEIR_DENIAL_LOG; ${DEFAULT-VALUE}]")
    private boolean denialLog;

    @Option(names = "--denial-log-namespaces", paramLabel = "all|annotated",
            defaultValue = "${env:WEIR_DENIAL_LOG_NAMESPACES:-all}", converter = DenialLogNamespaces.class,
            description = "whose drops are logged: every namespace's but those annotated weir.dev/log-denials: "
                    + "\"false\", or only those annotated \"true\" [WEIR_DENIAL_LOG_NAMESPACES; ${DEFAULT-VALUE}]")
    private DenialLogSettings.Namespaces denialLogNamespaces;

    @Option(names = "--denial-log-group", paramLabel = "G", converter = NflogGroup.class,
            defaultValue = "${env:WEIR_DENIAL_LOG_GROUP:-1047}",
            description = "the NFLOG group the drop rules log to and the agent reads, 0-65535; no other program on "
                    + "the node may bind it [WEIR_DENIAL_LOG_GROUP; ${DEFAULT-VALUE}]")
    private int denialLogGroup;

    @Option(names = "--denial-log-rate", paramLabel = "N", converter = Rate.class,
            defaultValue = "${env:WEIR_DENIAL_LOG_RATE:-100}",
            description = "packets per second the node logs at most per IP family, all drops together, 1-1000 (100 or "
                    + "100/s) [WEIR_DENIAL_LOG_RATE; ${DEFAULT-VALUE}]")
    private int denialLogRate;

    @Option(names = "--denial-log-burst", paramLabel = "N", converter = Burst.class,
            defaultValue = "${env:WEIR_DENIAL_LOG_BURST:-200}",
            description = "packets logged at once above the rate before it applies, 1-10000 [WEIR_DENIAL_LOG_BURST; "
                    + "${DEFAULT-VALUE}]")
    private int denialLogBurst;

    @Option(names = "--denial-log-interval", paramLabel = "D", converter = DenialLogInterval.class,
            defaultValue = "${env:WEIR_DENIAL_LOG_INTERVAL:-1s}",
            description = "one record per flow and interval, counting its packets; a flow's first record is out "
                    + "within 250 ms (100ms-1m) [WEIR_DENIAL_LOG_INTERVAL; ${DEFAULT-VALUE}]")
    private Duration denialLogInterval;

    @Option(names = "--denial-log-file", paramLabel = "PATH", defaultValue = "${env:WEIR_DENIAL_LOG_FILE}",
            description = "append the records to this file instead of writing them to stdout (the weir.denials "
                    + "logger) [WEIR_DENIAL_LOG_FILE; default: stdout]")
    private String denialLogFile;

    @Option(names = "--report", negatable = true, fallbackValue = "true", defaultValue = "${env:WEIR_REPORT:-true}",
            description = "publish what this node enforces (its policies and their generations, the last apply and "
                    + "failure) as the NodePolicyReport named after the node [WEIR_REPORT; ${DEFAULT-VALUE}]")
    private boolean report;

    @Option(names = "--report-interval", paramLabel = "D", converter = ReportInterval.class,
            defaultValue = "${env:WEIR_REPORT_INTERVAL:-5s}",
            description = "write the report at most this often; applies in between are coalesced, at least 1s "
                    + "[WEIR_REPORT_INTERVAL; ${DEFAULT-VALUE}]")
    private Duration reportInterval;

    @Option(names = "--report-heartbeat-interval", paramLabel = "D", converter = ReportInterval.class,
            defaultValue = "${env:WEIR_REPORT_HEARTBEAT_INTERVAL:-60s}",
            description = "write the report at least this often, changed or not, so that a stopped agent shows as "
                    + "stale; from the report interval to 10m [WEIR_REPORT_HEARTBEAT_INTERVAL; ${DEFAULT-VALUE}]")
    private Duration reportHeartbeatInterval;

    @Option(names = "--iptables-backend", paramLabel = "B", defaultValue = "${env:WEIR_IPTABLES_BACKEND:-auto}",
            description = "auto, nft or legacy; auto: kubelet's hint chain, else the backend with more rules, else "
                    + "nft [WEIR_IPTABLES_BACKEND; ${DEFAULT-VALUE}]")
    private AgentConfig.Backend iptablesBackend;

    @Option(names = "--mark-mask", paramLabel = "M", defaultValue = "${env:WEIR_MARK_MASK:-0xf00000}",
            description = "packet-mark bits weir may use (hex); it takes the four lowest set bits (accept, drop, "
                    + "seen, pass) and writes no others; fewer than four bits are refused [WEIR_MARK_MASK; "
                    + "${DEFAULT-VALUE}]")
    private RenderOptions marks;

    @Option(names = "--conn-mark", paramLabel = "B", converter = ConnMark.class,
            defaultValue = "${env:WEIR_CONN_MARK:-0x1000000}",
            description = "conntrack-mark bit (hex) weir sets on a connection it judged and admitted; the "
                    + "connection's later packets are then accepted at the top of WEIR-FORWARD; 0: no fast path "
                    + "[WEIR_CONN_MARK; ${DEFAULT-VALUE}]")
    private int connMark;

    @Option(names = "--http-port", paramLabel = "P", converter = Port.class,
            defaultValue = "${env:WEIR_HTTP_PORT:-9099}",
            description = "/healthz, /readyz, /metrics on 0.0.0.0; 0: any free port [WEIR_HTTP_PORT; "
                    + "${DEFAULT-VALUE}]")
    private int httpPort;

    @Option(names = "--log-format", paramLabel = "F", defaultValue = "${env:WEIR_LOG_FORMAT:-text}",
            description = "text or json [WEIR_LOG_FORMAT; ${DEFAULT-VALUE}]")
    private AgentConfig.LogFormat logFormat;

    @Option(names = "--log-level", paramLabel = "L", converter = LogLevel.class,
            defaultValue = "${env:WEIR_LOG_LEVEL:-info}",
            description = "error, warn, info, debug or trace [WEIR_LOG_LEVEL; ${DEFAULT-VALUE}]")
    private String logLevel;

    @Option(names = "--netns", paramLabel = "NAME", defaultValue = "${env:WEIR_NETNS}",
            description = "program /run/netns/NAME instead of the host's namespace, as the lab does "
                    + "[WEIR_NETNS; default: the host's]")
    private String netns;

    /** The settings picocli parsed; a blank variable counts as unset. */
    AgentConfig config() {
        Main.UsageException.check(present(node),
                "the node name is required: pass --node NAME or set NODE_NAME (the downward API's spec.nodeName)");
        return new AgentConfig(node.strip(), present(kubeconfig) ? Path.of(kubeconfig) : null, resyncInterval,
                minSyncInterval, driftCheckInterval, iptablesBackend, marks.withConnMark(connMark), httpPort,
                logFormat, logLevel,
                present(netns) ? netns : null, revokeDeniedFlows,
                new LocalNetworkSettings(antiSpoofing, cniCacheDir, unprogrammedPods,
                        podCidrs == null ? List.of() : podCidrs.cidrs(), interfaceScanInterval),
                new DenialLogSettings(denialLog, denialLogNamespaces, denialLogGroup, denialLogRate, denialLogBurst,
                        denialLogInterval,
                        present(denialLogFile) ? Path.of(denialLogFile.strip()) : null),
                reportSettings());
    }

    private ReportSettings reportSettings() {
        try {
            return new ReportSettings(report, reportInterval, reportHeartbeatInterval);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--report-heartbeat-interval/WEIR_REPORT_HEARTBEAT_INTERVAL: "
                    + e.getMessage());
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        AgentConfig config = config();
        config.kubeconfigFile().ifPresent(f -> Main.UsageException.check(Files.isReadable(f),
                "--kubeconfig/KUBECONFIG: cannot read %s", f));
        config.denialLog().fileOption().ifPresent(f -> Main.UsageException.check(
                Files.isDirectory(f.toAbsolutePath().getParent()),
                "--denial-log-file/WEIR_DENIAL_LOG_FILE: no directory %s for %s", f.toAbsolutePath().getParent(), f));
        LogSetup.apply(config.logFormat(), config.logLevel());
        NetworkNamespace ns = config.netnsName().map(NetworkNamespace::named).orElse(NetworkNamespace.host());
        CountDownLatch stop = new CountDownLatch(1);
        try (KubernetesClient client = client(config);
                NodeAgent agent = NodeAgent.start(config, client, ns)) {
            // SIGTERM: stop watching and syncing; the applied rules stay, so a restart opens no gap.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                stop.countDown();
            }, "weir-agent-shutdown"));
            err.printf("weir agent: node %s, http :%d, resync %s%n", config.node(), agent.httpPort(),
                    Durations.format(config.resyncInterval()));
            stop.await();
        } finally {
            ns.close();
        }
        return 0;
    }

    private static KubernetesClient client(AgentConfig config) {
        if (config.kubeconfigFile().isEmpty()) {
            return new KubernetesClientBuilder().build(); // in-cluster service account, or $HOME/.kube/config
        }
        try {
            Config c = Config.fromKubeconfig(config.kubeconfig().toFile());
            return new KubernetesClientBuilder().withConfig(c).build();
        } catch (RuntimeException e) {
            throw new Main.UsageException("--kubeconfig/KUBECONFIG: cannot read " + config.kubeconfig() + ": " + e);
        }
    }

    /** The resync and drift intervals: a zero one would spin. */
    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = Durations.parse(value);
            if (d.isZero()) {
                throw new IllegalArgumentException("must be longer than 0");
            }
            return d;
        }
    }

    /** {@code --denial-log-namespaces}: {@code all} or {@code annotated}. */
    static final class DenialLogNamespaces implements ITypeConverter<DenialLogSettings.Namespaces> {
        @Override
        public DenialLogSettings.Namespaces convert(String value) {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "all" -> DenialLogSettings.Namespaces.ALL;
                case "annotated" -> DenialLogSettings.Namespaces.ANNOTATED;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "want all or annotated, not \"" + value + "\"");
            };
        }
    }

    /** {@code --denial-log-group}: an NFLOG group number. */
    static final class NflogGroup implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int g = Integer.parseInt(value.strip());
                if (g >= 0 && g <= 0xffff) {
                    return g;
                }
            } catch (NumberFormatException e) {
                // the message below says what a group is
            }
            throw new IllegalArgumentException("\"" + value + "\" is not an NFLOG group (0-65535)");
        }
    }

    /** A whole number from 1 to {@code max}. */
    private static int count(String value, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException("\"" + value + "\" is not a whole number from 1 to " + max);
    }

    /** {@code --denial-log-rate}: packets per second, written {@code 100} or {@code 100/s}. */
    static final class Rate implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String v = value.strip();
            return count(v.endsWith("/s") ? v.substring(0, v.length() - 2) : v, DenialLogSettings.MAX_RATE);
        }
    }

    static final class Burst implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return count(value, DenialLogSettings.MAX_BURST);
        }
    }

    /** {@code --denial-log-interval}: 100ms to 1m. */
    static final class DenialLogInterval implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = Durations.parse(value);
            if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(DenialLogSettings.MAX_INTERVAL) > 0) {
                throw new IllegalArgumentException("must be between 100ms and 1m");
            }
            return d;
        }
    }

    /** {@code --report-interval}, {@code --report-heartbeat-interval}: 1s to 10m. */
    static final class ReportInterval implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = Durations.parse(value);
            if (d.compareTo(ReportSettings.MIN_FLAG_INTERVAL) < 0
                    || d.compareTo(ReportSettings.MAX_HEARTBEAT_INTERVAL) > 0) {
                throw new IllegalArgumentException("must be between 1s and 10m");
            }
            return d;
        }
    }

    /** {@code --pod-cidrs}: one option value holding the whole comma-separated list. */
    record CidrList(List<Cidr> cidrs) {
    }

    static final class CidrListConverter implements ITypeConverter<CidrList> {
        @Override
        public CidrList convert(String value) {
            List<Cidr> out = new ArrayList<>();
            for (String part : value.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                if (!part.contains("/")) {
                    throw new IllegalArgumentException("\"" + part.strip() + "\" is not a CIDR (write e.g. "
                            + "10.244.1.0/24)");
                }
                out.add(Cidr.parse(part.strip()));
            }
            return new CidrList(out.stream().distinct().sorted().toList());
        }
    }

    /** One bit of the conntrack mark, or 0 ({@link RenderOptions#parseConnMark}). */
    static final class ConnMark implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return RenderOptions.parseConnMark(value);
        }
    }

    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int p = Integer.parseInt(value.strip());
                if (p >= 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // the message below says what a port is
            }
            throw new IllegalArgumentException("\"" + value + "\" is not a port (0-65535)");
        }
    }

    static final class LogLevel implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String level = value.strip().toLowerCase(Locale.ROOT);
            if (!LOG_LEVELS.contains(level)) {
                throw new IllegalArgumentException("\"" + value + "\" is not one of " + String.join(", ", LOG_LEVELS));
            }
            return level;
        }
    }
}
