package dev.weir.agent;

import dev.weir.cli.Args;
import dev.weir.cli.Main;
import dev.weir.iptables.render.RenderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The agent's settings (the contract table in {@code docs/agent.md}). Every flag has an environment variable; a flag
 * wins over its variable, and a missing pair takes the documented default. {@code kubeconfig} and {@code netns} are
 * null when absent (in-cluster config; the host's network namespace). {@code httpPort} 0 picks a free port (tests and
 * the lab); -1 disables the HTTP server. {@code marks} are the packet-mark bits taken from {@code --mark-mask}.
 */
public record AgentConfig(String node, Path kubeconfig, Duration resyncInterval, Duration minSyncInterval,
        Duration driftCheckInterval, Backend iptablesBackend, RenderOptions marks, int httpPort, LogFormat logFormat,
        String logLevel, String netns) {

    /** The flags and their variables, in the contract's order. */
    public enum Setting {
        NODE("--node", "NODE_NAME", null),
        KUBECONFIG("--kubeconfig", "KUBECONFIG", null),
        RESYNC_INTERVAL("--resync-interval", "WEIR_RESYNC_INTERVAL", "5m"),
        MIN_SYNC_INTERVAL("--min-sync-interval", "WEIR_MIN_SYNC_INTERVAL", "500ms"),
        DRIFT_CHECK_INTERVAL("--drift-check-interval", "WEIR_DRIFT_CHECK_INTERVAL", "60s"),
        IPTABLES_BACKEND("--iptables-backend", "WEIR_IPTABLES_BACKEND", "auto"),
        MARK_MASK("--mark-mask", "WEIR_MARK_MASK", "0xf00000"),
        HTTP_PORT("--http-port", "WEIR_HTTP_PORT", "9099"),
        LOG_FORMAT("--log-format", "WEIR_LOG_FORMAT", "text"),
        LOG_LEVEL("--log-level", "WEIR_LOG_LEVEL", "info"),
        NETNS("--netns", "WEIR_NETNS", null);

        public final String flag;
        public final String env;
        public final String defaultValue;

        Setting(String flag, String env, String defaultValue) {
            this.flag = flag;
            this.env = env;
            this.defaultValue = defaultValue;
        }
    }

    /** Which iptables binaries to drive. */
    public enum Backend { AUTO, NFT, LEGACY }

    /** Layout of log lines. */
    public enum LogFormat { TEXT, JSON }

    static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

    public AgentConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(minSyncInterval, "minSyncInterval");
        Objects.requireNonNull(driftCheckInterval, "driftCheckInterval");
        Objects.requireNonNull(iptablesBackend, "iptablesBackend");
        Objects.requireNonNull(marks, "marks");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(logLevel, "logLevel");
        if (node.isBlank()) {
            throw new IllegalArgumentException("node must not be blank");
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort " + httpPort + " out of range -1..65535");
        }
    }

    /** Defaults for everything but the node: what a test or the lab starts from. */
    public static AgentConfig defaults(String node) {
        return new AgentConfig(node, null, Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(60),
                Backend.AUTO, RenderOptions.defaults(), 9099, LogFormat.TEXT, "info", null);
    }

    public AgentConfig withHttpPort(int port) {
        return new AgentConfig(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend,
                marks, port, logFormat, logLevel, netns);
    }

    public AgentConfig withIntervals(Duration resync, Duration minSync, Duration driftCheck) {
        return new AgentConfig(node, kubeconfig, resync, minSync, driftCheck, iptablesBackend, marks, httpPort,
                logFormat, logLevel, netns);
    }

    public AgentConfig withNetns(String name) {
        return new AgentConfig(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend,
                marks, httpPort, logFormat, logLevel, name);
    }

    public Optional<Path> kubeconfigFile() {
        return Optional.ofNullable(kubeconfig);
    }

    public Optional<String> netnsName() {
        return Optional.ofNullable(netns);
    }

    /** The valued flags {@code weir agent} accepts. */
    public static Set<String> flags() {
        return java.util.Arrays.stream(Setting.values()).map(s -> s.flag)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * Reads the settings from parsed flags and the environment. A bad value is a {@link Main.UsageException} whose
     * message names the flag or variable it came from and what was expected.
     */
    public static AgentConfig from(Args args, Map<String, String> env) {
        Source s = new Source(args, env);
        String node = s.text(Setting.NODE).orElseThrow(() -> new Main.UsageException(
                "the node name is required: pass --node NAME or set NODE_NAME (the downward API's spec.nodeName)"));
        return new AgentConfig(node,
                s.text(Setting.KUBECONFIG).map(Path::of).orElse(null),
                s.value(Setting.RESYNC_INTERVAL, AgentConfig::positiveDuration),
                s.value(Setting.MIN_SYNC_INTERVAL, Durations::parse),
                s.value(Setting.DRIFT_CHECK_INTERVAL, AgentConfig::positiveDuration),
                s.value(Setting.IPTABLES_BACKEND, v -> choice(Backend.class, v)),
                s.value(Setting.MARK_MASK, RenderOptions::parseMask),
                s.value(Setting.HTTP_PORT, AgentConfig::port),
                s.value(Setting.LOG_FORMAT, v -> choice(LogFormat.class, v)),
                s.value(Setting.LOG_LEVEL, AgentConfig::level),
                s.text(Setting.NETNS).orElse(null));
    }

    private static Duration positiveDuration(String v) {
        Duration d = Durations.parse(v);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than 0");
        }
        return d;
    }

    private static int port(String v) {
        try {
            int p = Integer.parseInt(v.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("\"" + v + "\" is not a port (0-65535)");
    }

    private static String level(String v) {
        String l = v.trim().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(l)) {
            throw new IllegalArgumentException("\"" + v + "\" is not one of " + String.join(", ", LOG_LEVELS));
        }
        return l;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String v) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.trim())) {
                return e;
            }
        }
        List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw new IllegalArgumentException("\"" + v + "\" is not one of " + String.join(", ", names));
    }

    /** Flag, else variable, else default, remembering which one a value came from for error messages. */
    private record Source(Args args, Map<String, String> env) {

        Optional<String> text(Setting s) {
            Optional<String> flag = args.value(s.flag);
            if (flag.isPresent()) {
                return flag.filter(v -> !v.isBlank());
            }
            return Optional.ofNullable(env.get(s.env)).filter(v -> !v.isBlank());
        }

        <T> T value(Setting s, Function<String, T> parse) {
            Optional<String> flag = args.value(s.flag);
            String origin = flag.isPresent() ? s.flag : env.get(s.env) != null && !env.get(s.env).isBlank()
                    ? s.env : null;
            String raw = text(s).orElse(s.defaultValue);
            try {
                return parse.apply(raw);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException((origin == null ? s.flag + " default" : origin) + ": " + e.getMessage());
            }
        }
    }
}
