package dev.weir.iptables.apply;

import java.time.Duration;
import java.util.Objects;

/**
 * Delays between retries of a failed apply: {@code initial * factor^(failures-1)}, capped at {@code max}. Pure: the
 * caller owns the clock and the randomness ({@link #delay(int, double)} takes the jitter draw).
 */
public record Backoff(Duration initial, Duration max, double factor) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || factor < 1.0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and factor >= 1, got " + initial
                    + ", " + max + ", " + factor);
        }
    }

    /** 1 s, doubling, at most 1 min. */
    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0);
    }

    /** The delay after {@code failures} consecutive failures (1 = the first); zero when nothing has failed. */
    public Duration delay(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        double millis = initial.toMillis() * Math.pow(factor, Math.min(failures - 1, 62));
        return millis >= max.toMillis() ? max : Duration.ofMillis(Math.round(millis));
    }

    /**
     * The delay with "equal jitter": half fixed, half scaled by {@code draw} in [0, 1), so agents that failed together
     * do not retry together.
     */
    public Duration delay(int failures, double draw) {
        if (draw < 0 || draw >= 1) {
            throw new IllegalArgumentException("jitter draw must be in [0, 1), got " + draw);
        }
        Duration d = delay(failures);
        long half = d.toMillis() / 2;
        return Duration.ofMillis(half + Math.round(half * draw));
    }
}
