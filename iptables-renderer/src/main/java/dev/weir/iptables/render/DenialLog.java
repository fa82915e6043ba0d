package dev.weir.iptables.render;

import dev.weir.model.DenialLogging;
import java.util.Objects;

/**
 * The denied-traffic log's settings ({@code docs/denials.md}): whether weir puts a rate-limited NFLOG rule before the
 * drops it renders ({@code mode}), the NFLOG group the agent reads ({@code group}), and the one token bucket all those
 * rules share on a node, per IP family ({@code ratePerSecond}, {@code burst}).
 *
 * <ul>
 * <li>{@link Mode#ON}: every drop is logged, except for the pods of namespaces annotated
 * {@code weir.dev/log-denials: "false"};</li>
 * <li>{@link Mode#OPT_IN}: only drops for the pods of namespaces annotated {@code "true"} (and no NFLOG rule at all
 * while no namespace is);</li>
 * <li>{@link Mode#OFF}: no NFLOG rule at all, whatever the annotations say: the ruleset of earlier releases, for a
 * node whose kernel lacks {@code xt_NFLOG} or {@code xt_hashlimit}, or an operator who wants no log.</li>
 * </ul>
 */
public record DenialLog(Mode mode, int group, int ratePerSecond, int burst) {

    /** How a node logs; see the type's description. */
    public enum Mode { OFF, OPT_IN, ON }

    public static final int DEFAULT_GROUP = 1047;
    public static final int DEFAULT_RATE = 100;
    public static final int DEFAULT_BURST = 200;
    /**
     * The kernel keeps a hashlimit rate as an interval of whole microseconds: above about 1,000 per second not every
     * rate reads back as written (65535/sec saves as 66666/sec), and the applier would rewrite the rules forever.
     */
    public static final int MAX_RATE = 1000;
    public static final int MAX_BURST = 10_000;

    private static final DenialLog DEFAULTS = new DenialLog(Mode.ON, DEFAULT_GROUP, DEFAULT_RATE, DEFAULT_BURST);

    public DenialLog {
        Objects.requireNonNull(mode, "mode");
        if (group < 0 || group > 0xffff) {
            throw new IllegalArgumentException("NFLOG group " + group + " out of 0-65535");
        }
        if (ratePerSecond < 1 || ratePerSecond > MAX_RATE) {
            throw new IllegalArgumentException("denial log rate " + ratePerSecond + "/s out of 1-" + MAX_RATE);
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new IllegalArgumentException("denial log burst " + burst + " out of 1-" + MAX_BURST);
        }
    }

    /** On, group 1047, 100 packets per second with bursts of 200. */
    public static DenialLog defaults() {
        return DEFAULTS;
    }

    /** No NFLOG rule at all. */
    public static DenialLog off() {
        return DEFAULTS.withMode(Mode.OFF);
    }

    public DenialLog withMode(Mode m) {
        return new DenialLog(m, group, ratePerSecond, burst);
    }

    public DenialLog withGroup(int g) {
        return new DenialLog(mode, g, ratePerSecond, burst);
    }

    public DenialLog withRate(int perSecond, int burstSize) {
        return new DenialLog(mode, group, perSecond, burstSize);
    }

    /** Whether any NFLOG rule may be rendered. */
    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** Whether pods of a namespace without the annotation are logged. */
    public boolean loggedByDefault() {
        return mode == Mode.ON;
    }

    /** Whether drops for the pods of a namespace with this setting are logged. */
    public boolean logs(DenialLogging namespace) {
        return enabled() && namespace.logs(loggedByDefault());
    }
}
