package dev.weir.agent.report;

import java.time.Duration;

/**
 * When the node report is written, as a pure decision over caller-supplied nanos (like the sync loop's Pacer):
 * <ul>
 *   <li>nothing before there is something to say (the first sync finished);</li>
 *   <li>the first report at once; after that a changed report once {@code interval} has passed since the last write
 *       (a burst of applies is one write now and one an interval later, never more);</li>
 *   <li>an unchanged report again after the heartbeat, shortened by the caller's jitter of up to a tenth so that
 *       agents started together do not write together for ever, never below {@code interval};</li>
 *   <li>after a failed write: again after {@code interval}, doubling up to the heartbeat; when the API cannot take
 *       the report at all (CRD not installed, forbidden, no Node), after the heartbeat.</li>
 * </ul>
 */
final class ReportSchedule {

    /** Wait for news: nothing is due until the state changes. */
    static final long IDLE = Long.MAX_VALUE;

    private final long interval;
    private final long heartbeat;
    private boolean everWritten;
    private long lastWrite;
    private long heartbeatDue;
    private int failures;
    private long retryAt;

    ReportSchedule(Duration interval, Duration heartbeat) {
        if (interval.isNegative() || interval.isZero() || heartbeat.compareTo(interval) < 0) {
            throw new IllegalArgumentException("need 0 < interval (" + interval + ") <= heartbeat (" + heartbeat + ")");
        }
        this.interval = interval.toNanos();
        this.heartbeat = heartbeat.toNanos();
    }

    /** Nanos until the next write is due (0: now), or {@link #IDLE}. */
    long untilNextWrite(long now, boolean hasContent, boolean changed) {
        if (!hasContent) {
            return IDLE;
        }
        if (failures > 0) {
            return Math.max(0, retryAt - now);
        }
        if (!everWritten) {
            return 0;
        }
        long due = changed ? lastWrite + interval : heartbeatDue;
        return Math.max(0, due - now);
    }

    /** A write that started at {@code start} succeeded; {@code jitter} in [0, 0.1) shortens the next heartbeat. */
    void written(long start, double jitter) {
        if (jitter < 0 || jitter >= 0.1) {
            throw new IllegalArgumentException("jitter " + jitter + " out of [0, 0.1)");
        }
        everWritten = true;
        lastWrite = start;
        failures = 0;
        heartbeatDue = start + Math.max(interval, (long) (heartbeat * (1 - jitter)));
    }

    /** A write that started at {@code start} failed; {@code unavailable}: the API cannot take it at all for now. */
    void failed(long start, boolean unavailable) {
        failures++;
        long wait = unavailable ? heartbeat : Math.min(heartbeat, interval << Math.min(failures - 1, 20));
        retryAt = start + wait;
    }

    int failures() {
        return failures;
    }
}
