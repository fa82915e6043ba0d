package dev.weir.agent;

import dev.weir.iptables.render.RenderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's settings (the contract table in {@code docs/agent.md}; {@code weir agent}'s flags and their environment
 * variables fill it in {@code cli/AgentCommand}). {@code kubeconfig} and {@code netns} are null when absent
 * (in-cluster config; the host's network namespace). {@code httpPort} 0 picks a free port (tests and
 * the lab); -1 disables the HTTP server. {@code marks} are the packet-mark bits taken from {@code --mark-mask}
 * and the conntrack-mark bit of {@code --conn-mark} (the established-flow fast path).
 * {@code revokeDeniedFlows}: delete the conntrack entries of flows an apply denies
 * ({@code --[no-]revoke-denied-flows}). {@code localNetwork}: anti-spoofing, fail-closed and how pod interfaces and
 * pod CIDRs are found. {@code denialLog}: the denied-traffic log (its NFLOG rules, group and records). {@code report}:
 * the node report (what the node enforces, published as a NodePolicyReport).
 */
public record AgentConfig(String node, Path kubeconfig, Duration resyncInterval, Duration minSyncInterval,
        Duration driftCheckInterval, Backend iptablesBackend, RenderOptions marks, int httpPort, LogFormat logFormat,
        String logLevel, String netns, boolean revokeDeniedFlows, LocalNetworkSettings localNetwork,
        DenialLogSettings denialLog, ReportSettings report) {

    /** Which iptables binaries to drive. */
    public enum Backend { AUTO, NFT, LEGACY }

    /** Layout of log lines. */
    public enum LogFormat { TEXT, JSON }

    public AgentConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(minSyncInterval, "minSyncInterval");
        Objects.requireNonNull(driftCheckInterval, "driftCheckInterval");
        Objects.requireNonNull(iptablesBackend, "iptablesBackend");
        Objects.requireNonNull(marks, "marks");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(localNetwork, "localNetwork");
        Objects.requireNonNull(denialLog, "denialLog");
        Objects.requireNonNull(report, "report");
        if (node.isBlank()) {
            throw new IllegalArgumentException("node must not be blank");
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort " + httpPort + " out of range -1..65535");
        }
    }

    /**
     * The settings of the earlier releases' flags, with the default {@link LocalNetworkSettings} and
     * {@link DenialLogSettings}.
     */
    public AgentConfig(String node, Path kubeconfig, Duration resyncInterval, Duration minSyncInterval,
            Duration driftCheckInterval, Backend iptablesBackend, RenderOptions marks, int httpPort,
            LogFormat logFormat, String logLevel, String netns, boolean revokeDeniedFlows) {
        this(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend, marks, httpPort,
                logFormat, logLevel, netns, revokeDeniedFlows, LocalNetworkSettings.defaults());
    }

    /** As above with {@code localNetwork} and {@code denialLog}, and the default {@link ReportSettings}. */
    public AgentConfig(String node, Path kubeconfig, Duration resyncInterval, Duration minSyncInterval,
            Duration driftCheckInterval, Backend iptablesBackend, RenderOptions marks, int httpPort,
            LogFormat logFormat, String logLevel, String netns, boolean revokeDeniedFlows,
            LocalNetworkSettings localNetwork, DenialLogSettings denialLog) {
        this(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend, marks, httpPort,
                logFormat, logLevel, netns, revokeDeniedFlows, localNetwork, denialLog, ReportSettings.defaults());
    }

    /** As above with {@code localNetwork}, and the default {@link DenialLogSettings}. */
    public AgentConfig(String node, Path kubeconfig, Duration resyncInterval, Duration minSyncInterval,
            Duration driftCheckInterval, Backend iptablesBackend, RenderOptions marks, int httpPort,
            LogFormat logFormat, String logLevel, String netns, boolean revokeDeniedFlows,
            LocalNetworkSettings localNetwork) {
        this(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend, marks, httpPort,
                logFormat, logLevel, netns, revokeDeniedFlows, localNetwork, DenialLogSettings.defaults());
    }

    /** Defaults for everything but the node: what a test or the lab starts from. */
    public static AgentConfig defaults(String node) {
        return new AgentConfig(node, null, Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(5),
                Backend.AUTO, RenderOptions.defaults(), 9099, LogFormat.TEXT, "info", null, true);
    }

    public AgentConfig withHttpPort(int port) {
        return new AgentConfig(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend,
                marks, port, logFormat, logLevel, netns, revokeDeniedFlows, localNetwork, denialLog, report);
    }

    public AgentConfig withIntervals(Duration resync, Duration minSync, Duration driftCheck) {
        return new AgentConfig(node, kubeconfig, resync, minSync, driftCheck, iptablesBackend, marks, httpPort,
                logFormat, logLevel, netns, revokeDeniedFlows, localNetwork, denialLog, report);
    }

    public AgentConfig withNetns(String name) {
        return new AgentConfig(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend,
                marks, httpPort, logFormat, logLevel, name, revokeDeniedFlows, localNetwork, denialLog, report);
    }

    public AgentConfig withLocalNetwork(LocalNetworkSettings settings) {
        return new AgentConfig(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend,
                marks, httpPort, logFormat, logLevel, netns, revokeDeniedFlows, settings, denialLog, report);
    }

    public AgentConfig withDenialLog(DenialLogSettings settings) {
        return new AgentConfig(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend,
                marks, httpPort, logFormat, logLevel, netns, revokeDeniedFlows, localNetwork, settings, report);
    }

    public AgentConfig withReport(ReportSettings settings) {
        return new AgentConfig(node, kubeconfig, resyncInterval, minSyncInterval, driftCheckInterval, iptablesBackend,
                marks, httpPort, logFormat, logLevel, netns, revokeDeniedFlows, localNetwork, denialLog, settings);
    }

    /**
     * What the renderer is given: the marks of {@code --mark-mask} and {@code --conn-mark} and the NFLOG rules of the
     * denial log.
     */
    public RenderOptions renderOptions() {
        return marks.withDenialLog(denialLog.rules());
    }

    public Optional<Path> kubeconfigFile() {
        return Optional.ofNullable(kubeconfig);
    }

    public Optional<String> netnsName() {
        return Optional.ofNullable(netns);
    }
}
