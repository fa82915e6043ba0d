package dev.weir.agent;

import dev.weir.iptables.render.DenialLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The denied-traffic log ({@code docs/denials.md}; the flags of {@code docs/agent.md}): {@code enabled} renders the
 * NFLOG rule before each drop and reads their group ({@code --[no-]denial-log}); {@code namespaces} says whose
 * drops are logged: every namespace's but those annotated {@code weir.dev/log-denials: "false"}, or only those
 * annotated {@code "true"} ({@code --denial-log-namespaces all|annotated}); {@code group} is the NFLOG group the
 * rules log to and the agent reads in its node's network namespace ({@code --denial-log-group}); {@code rate} and
 * {@code burst} bound what the node logs, packets per second with a burst allowance, for the whole node
 * ({@code --denial-log-rate}, {@code --denial-log-burst}); {@code interval} is how long packets of one flow are
 * counted into one record ({@code --denial-log-interval}); {@code file} is where records go instead of the
 * {@code weir.denials} logger (stdout), null for the logger ({@code --denial-log-file}).
 */
public record DenialLogSettings(boolean enabled, Namespaces namespaces, int group, int rate, int burst,
        Duration interval, Path file) {

    /** Whose drops a node logs while the log is on. */
    public enum Namespaces {
        /** Every namespace's, except those annotated {@code weir.dev/log-denials: "false"}. */
        ALL,
        /** Only those annotated {@code weir.dev/log-denials: "true"}. */
        ANNOTATED
    }

    public static final int DEFAULT_GROUP = DenialLog.DEFAULT_GROUP;
    public static final int DEFAULT_RATE = DenialLog.DEFAULT_RATE;
    public static final int DEFAULT_BURST = DenialLog.DEFAULT_BURST;
    /** The renderer's limits ({@link DenialLog#MAX_RATE}: above it hashlimit does not read a rate back as written). */
    public static final int MAX_RATE = DenialLog.MAX_RATE;
    public static final int MAX_BURST = DenialLog.MAX_BURST;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Longer intervals hold more flows in memory and delay every record after a flow's first; a minute is plenty. */
    public static final Duration MAX_INTERVAL = Duration.ofMinutes(1);

    public DenialLogSettings {
        Objects.requireNonNull(namespaces, "namespaces");
        Objects.requireNonNull(interval, "interval");
        if (group < 0 || group > 0xffff) {
            throw new IllegalArgumentException("NFLOG group " + group + " out of 0-65535");
        }
        if (rate < 1 || rate > MAX_RATE) {
            throw new IllegalArgumentException("denial log rate " + rate + "/s out of 1-" + MAX_RATE);
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new IllegalArgumentException("denial log burst " + burst + " out of 1-" + MAX_BURST);
        }
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("denial log interval " + Durations.format(interval)
                    + " out of 100ms-1m");
        }
    }

    /** On, group 1047, 100 packets/s with a burst of 200, records per 1 s, to the {@code weir.denials} logger. */
    public static DenialLogSettings defaults() {
        return new DenialLogSettings(true, Namespaces.ALL, DEFAULT_GROUP, DEFAULT_RATE, DEFAULT_BURST,
                DEFAULT_INTERVAL, null);
    }

    /** The same settings with the log off: no NFLOG rules, no reader. */
    public static DenialLogSettings off() {
        return defaults().withEnabled(false);
    }

    public DenialLogSettings withEnabled(boolean on) {
        return new DenialLogSettings(on, namespaces, group, rate, burst, interval, file);
    }

    public DenialLogSettings withGroup(int g) {
        return new DenialLogSettings(enabled, namespaces, g, rate, burst, interval, file);
    }

    public DenialLogSettings withInterval(Duration d) {
        return new DenialLogSettings(enabled, namespaces, group, rate, burst, d, file);
    }

    public DenialLogSettings withFile(Path f) {
        return new DenialLogSettings(enabled, namespaces, group, rate, burst, interval, f);
    }

    public Optional<Path> fileOption() {
        return Optional.ofNullable(file);
    }

    /**
     * What the renderer writes from these settings: the NFLOG rules off, on for every namespace but those annotated
     * off ({@link DenialLog.Mode#ON}) or for the annotated ones only ({@link DenialLog.Mode#OPT_IN}), with the group,
     * rate and burst the reader uses too.
     */
    public DenialLog rules() {
        DenialLog.Mode mode = !enabled ? DenialLog.Mode.OFF
                : namespaces == Namespaces.ALL ? DenialLog.Mode.ON : DenialLog.Mode.OPT_IN;
        return new DenialLog(mode, group, rate, burst);
    }

    public DenialLogSettings withNamespaces(Namespaces n) {
        return new DenialLogSettings(enabled, n, group, rate, burst, interval, file);
    }
}
