package dev.weir.iptables.nflog;

import java.time.Duration;
import java.util.Objects;

/** Waits between attempts that keep failing: {@code initial}, doubling, never more than {@code max}. */
public record Backoff(Duration initial, Duration max) {

    /** 1 s, 2 s, 4 s … 30 s: a busy group is noticed within a second, a long outage costs a try every 30 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, not " + initial + ", " + max);
        }
    }

    /** The wait after the {@code failures}-th failure in a row (1-based). */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures " + failures + " < 1");
        }
        Duration d = initial;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
