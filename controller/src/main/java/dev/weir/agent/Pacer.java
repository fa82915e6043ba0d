package dev.weir.agent;

import java.time.Duration;

/**
 * When the sync worker runs and what: a bounded-frequency schedule in the manner of kube-network-policies'
 * {@code BoundedFrequencyRunner}, as pure state over caller-supplied nanosecond times so tests step time by hand.
 * <ul>
 *   <li>nothing runs before the caches are synced — a partial view must never remove access;</li>
 *   <li>the first run after sync is {@link SyncKind#FULL} and runs at once;</li>
 *   <li>two runs start at least {@code minInterval} apart, so a burst of events becomes one apply;</li>
 *   <li>a failed run is retried as FULL after an exponential backoff (from {@code minInterval}, at least 250 ms,
 *       doubling up to {@link #MAX_BACKOFF}); pending changes wait for the retry;</li>
 *   <li>a FULL resync runs every {@code resyncInterval}, a DRIFT check every {@code driftInterval}: only a drift check
 *       (or the first apply, which reads the kernel) restarts the drift clock, since CHANGES and FULL syncs apply
 *       against the applier's cached view and would not see a rule someone else removed; a due drift check runs
 *       before pending changes, which follow {@code minInterval} later, so a steady stream of changes cannot starve
 *       it.</li>
 * </ul>
 * Not thread-safe: owned by the worker thread.
 */
public final class Pacer {

    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration MIN_BACKOFF = Duration.ofMillis(250);

    /** What to do now. */
    public sealed interface Plan {
    }

    /** Run a sync of this kind now. */
    public record Run(SyncKind kind) implements Plan {
    }

    /** Nothing due: sleep at most this long (or until poked). */
    public record Wait(long nanos) implements Plan {
    }

    private final long minInterval;
    private final long resyncInterval;
    private final long driftInterval;
    private boolean everSucceeded;
    private boolean haveRun;
    private long lastStart;
    private long nextResync;
    private long nextDrift;
    private int failures;
    private long retryAt;

    public Pacer(Duration minInterval, Duration resyncInterval, Duration driftInterval) {
        this.minInterval = minInterval.toNanos();
        this.resyncInterval = resyncInterval.toNanos();
        this.driftInterval = driftInterval.toNanos();
    }

    /**
     * @param now the current time in nanoseconds (any origin, monotonic)
     * @param changesPending whether recorded changes wait
     * @param synced whether every informer has synced
     */
    public Plan plan(long now, boolean changesPending, boolean synced) {
        if (!synced) {
            return new Wait(Math.max(minInterval, Duration.ofMillis(100).toNanos()));
        }
        if (!haveRun) {
            return new Run(SyncKind.FULL);
        }
        long earliest = lastStart + minInterval;
        if (failures > 0) {
            long at = Math.max(retryAt, earliest);
            return now - at >= 0 ? new Run(SyncKind.FULL) : new Wait(at - now);
        }
        boolean resyncDue = now - nextResync >= 0;
        boolean driftDue = now - nextDrift >= 0;
        if (changesPending || resyncDue || driftDue) {
            if (now - earliest < 0) {
                return new Wait(earliest - now);
            }
            if (resyncDue) {
                return new Run(SyncKind.FULL);
            }
            return new Run(driftDue ? SyncKind.DRIFT : SyncKind.CHANGES);
        }
        return new Wait(Math.min(nextResync - now, nextDrift - now));
    }

    /** Tells the pacer a run of {@code kind} started at {@code start} and whether it succeeded. */
    public void finished(SyncKind kind, long start, boolean succeeded) {
        haveRun = true;
        lastStart = start;
        if (!succeeded) {
            failures++;
            retryAt = start + backoff(failures).toNanos();
            return;
        }
        failures = 0;
        if (kind == SyncKind.FULL) {
            nextResync = start + resyncInterval;
        }
        if (kind == SyncKind.DRIFT || !everSucceeded) {
            nextDrift = start + driftInterval;
        }
        everSucceeded = true;
    }

    /** The delay before retry number {@code attempt} (1-based). */
    public Duration backoff(int attempt) {
        long base = Math.max(minInterval, MIN_BACKOFF.toNanos());
        long d = base;
        for (int i = 1; i < attempt && d < MAX_BACKOFF.toNanos(); i++) {
            d *= 2;
        }
        return Duration.ofNanos(Math.min(d, MAX_BACKOFF.toNanos()));
    }

    public int consecutiveFailures() {
        return failures;
    }

    public boolean everSucceeded() {
        return everSucceeded;
    }
}
