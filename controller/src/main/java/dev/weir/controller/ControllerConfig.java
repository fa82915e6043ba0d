package dev.weir.controller;

import dev.weir.agent.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's settings ({@code weir controller}'s flags and their environment variables fill it in
 * {@code cli/ControllerCommand}; the table is in {@code docs/controller.md}). {@code kubeconfig} is null for the
 * in-cluster config. {@code staleAfter}: a node whose report is older is named stale and not counted as enforcing
 * (3 minutes: three of the agents' 60 s heartbeats, as {@code weir status} judges).
 * {@code resyncInterval}: every policy is reconciled again this often even without events (a write that failed, an
 * object changed behind a watch). {@code httpPort} 0 picks a free port, -1 disables the HTTP server.
 */
public record ControllerConfig(Path kubeconfig, LeaseSettings lease, Duration staleAfter, Duration resyncInterval,
        int httpPort, AgentConfig.LogFormat logFormat, String logLevel) {

    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(3);
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofMinutes(5);
    public static final int DEFAULT_HTTP_PORT = 9098;

    public ControllerConfig {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(logLevel, "logLevel");
        if (staleAfter.isZero() || staleAfter.isNegative()) {
            throw new IllegalArgumentException("staleAfter must be longer than 0");
        }
        if (resyncInterval.isZero() || resyncInterval.isNegative()) {
            throw new IllegalArgumentException("resyncInterval must be longer than 0");
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort " + httpPort + " out of range -1..65535");
        }
    }

    /** Defaults for everything but the lease's namespace and identity: what a test or the lab starts from. */
    public static ControllerConfig defaults(String leaseNamespace, String identity) {
        return new ControllerConfig(null, LeaseSettings.defaults(leaseNamespace, identity), DEFAULT_STALE_AFTER,
                DEFAULT_RESYNC_INTERVAL, DEFAULT_HTTP_PORT, AgentConfig.LogFormat.TEXT, "info");
    }

    public ControllerConfig withLease(LeaseSettings settings) {
        return new ControllerConfig(kubeconfig, settings, staleAfter, resyncInterval, httpPort, logFormat, logLevel);
    }

    public ControllerConfig withHttpPort(int port) {
        return new ControllerConfig(kubeconfig, lease, staleAfter, resyncInterval, port, logFormat, logLevel);
    }

    public ControllerConfig withStaleAfter(Duration d) {
        return new ControllerConfig(kubeconfig, lease, d, resyncInterval, httpPort, logFormat, logLevel);
    }

    public ControllerConfig withResyncInterval(Duration d) {
        return new ControllerConfig(kubeconfig, lease, staleAfter, d, httpPort, logFormat, logLevel);
    }

    public Optional<Path> kubeconfigFile() {
        return Optional.ofNullable(kubeconfig);
    }
}
