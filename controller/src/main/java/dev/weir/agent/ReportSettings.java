package dev.weir.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * The node report ({@code docs/agent.md}, "What the agent reports"): {@code enabled} publishes it
 * ({@code --[no-]report}); {@code interval} is the least time between two writes, so a burst of applies becomes one
 * write ({@code --report-interval}); {@code heartbeatInterval} is the most time between two writes, so an agent that
 * stopped shows as stale ({@code --report-heartbeat-interval}).
 */
public record ReportSettings(boolean enabled, Duration interval, Duration heartbeatInterval) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
    /** The flags' floor: one write per second per node is already 5,000 writes/s at 5,000 nodes. */
    public static final Duration MIN_FLAG_INTERVAL = Duration.ofSeconds(1);
    /** A report older than this says little; the controller's staleness limit is a few heartbeats. */
    public static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofMinutes(10);

    public ReportSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        // below the flags' floor only for tests and the lab, which pass settings directly
        if (interval.compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("report interval " + Durations.format(interval) + " is too short");
        }
        if (heartbeatInterval.compareTo(interval) < 0 || heartbeatInterval.compareTo(MAX_HEARTBEAT_INTERVAL) > 0) {
            throw new IllegalArgumentException("report heartbeat interval " + Durations.format(heartbeatInterval)
                    + " must be between the report interval (" + Durations.format(interval) + ") and "
                    + Durations.format(MAX_HEARTBEAT_INTERVAL));
        }
    }

    /** On, at most one write every 5 s, at least one every 60 s. */
    public static ReportSettings defaults() {
        return new ReportSettings(true, DEFAULT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL);
    }

    public static ReportSettings off() {
        return defaults().withEnabled(false);
    }

    public ReportSettings withEnabled(boolean on) {
        return new ReportSettings(on, interval, heartbeatInterval);
    }

    public ReportSettings withIntervals(Duration minimum, Duration heartbeat) {
        return new ReportSettings(enabled, minimum, heartbeat);
    }
}
