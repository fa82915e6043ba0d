package dev.weir.agent.report;

import dev.weir.agent.AppliedRulesetListener;
import dev.weir.agent.AppliedSync;
import dev.weir.agent.LogKeys;
import dev.weir.agent.ReportSettings;
import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.crd.report.NodePolicyReport;
import dev.weir.crd.report.NodePolicyReportStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Publishes what the node enforces as its {@link NodePolicyReport} ({@code docs/agent.md}, "What the agent reports").
 * The sync thread only hands over the outcome of each sync ({@link #applied}, {@link #failed}: a few field writes
 * under a lock); the publisher's own thread folds them into a {@link ReportState}, asks the {@link ReportSchedule}
 * when to write, and writes through the {@link NodeReportWriter}. So a slow or absent API server never holds up
 * enforcement, a burst of applies is coalesced into at most one write per interval, and an unchanged report is
 * written again at least every heartbeat. Write failures are retried with backoff; a cluster without the CRD, an
 * agent without the rights or a node without a Node object is said once at WARN and tried again every heartbeat.
 */
public final class ReportPublisher implements AppliedRulesetListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReportPublisher.class);
    private static final long JOIN_MILLIS = 5_000;

    private final String node;
    private final NodeReportWriter writer;
    private final ReportState state;
    private final ReportSchedule schedule;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final LongSupplier ticker;
    private final Thread thread;

    // The hand-over from the sync thread, guarded by `this`: the latest success, the latest failure, their order.
    private AppliedSync applied;
    private Instant appliedAt;
    private String failure;
    private Instant failedAt;
    /** Failures handed over since the last success handed over (or the last fold). */
    private int failuresAfterApplied;
    private boolean failureFirst;
    private boolean news;
    private volatile boolean closed;

    // Only the publisher's thread: what the last outcome was, so that a trouble is logged once.
    private String trouble;
    private boolean everWritten;

    private ReportPublisher(String node, ReportSettings settings, NodeReportWriter writer, String agentVersion,
            AgentMetrics metrics, Clock clock, LongSupplier ticker) {
        this.node = node;
        this.writer = writer;
        this.state = new ReportState(node, agentVersion, settings.heartbeatInterval());
        this.schedule = new ReportSchedule(settings.interval(), settings.heartbeatInterval());
        this.metrics = metrics;
        this.clock = clock;
        this.ticker = ticker;
        this.thread = new Thread(this::run, "weir-report-" + node);
        thread.setDaemon(true);
    }

    /** Starts publishing the report of {@code node} through {@code client}. */
    public static ReportPublisher start(io.fabric8.kubernetes.client.KubernetesClient client, String node,
            ReportSettings settings, String agentVersion, AgentMetrics metrics, Clock clock, LongSupplier ticker) {
        Objects.requireNonNull(settings, "settings");
        if (!settings.enabled()) {
            throw new IllegalArgumentException("the node report is off");
        }
        ReportPublisher p = new ReportPublisher(node, settings, new NodeReportWriter(client, node), agentVersion,
                metrics, clock, ticker);
        p.thread.start();
        LOG.info("node report: {} {} ({}), written at most every {} and at least every {}", NodePolicyReport.KIND,
                node, NodePolicyReport.API_VERSION, format(settings.interval()), format(settings.heartbeatInterval()));
        return p;
    }

    @Override
    public synchronized void applied(AppliedSync sync) {
        applied = sync;
        appliedAt = clock.instant();
        failureFirst = failure != null; // a failure handed over before this success is older than it
        failuresAfterApplied = 0;
        news = true;
        notifyAll();
    }

    @Override
    public synchronized void failed(String error) {
        failure = error;
        failedAt = clock.instant();
        failuresAfterApplied++;
        news = true;
        notifyAll();
    }

    private void run() {
        MDC.put(LogKeys.NODE, node);
        while (!closed) {
            try {
                fold();
                long now = ticker.getAsLong();
                long wait = schedule.untilNextWrite(now, state.hasContent(), state.changedSinceWritten());
                if (wait > 0) {
                    await(wait);
                    continue;
                }
                write(now);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException e) { // a bug here must not end reporting, nor reach enforcement
                LOG.error("node report: publishing failed, continuing", e);
                sleepQuietly();
            }
        }
    }

    /** Takes what the sync thread handed over into the state, in the order it happened. */
    private void fold() {
        AppliedSync a;
        Instant aAt;
        String f;
        Instant fAt;
        int failures;
        boolean fFirst;
        synchronized (this) {
            if (!news) {
                return;
            }
            a = applied;
            aAt = appliedAt;
            f = failure;
            fAt = failedAt;
            failures = failuresAfterApplied;
            fFirst = failureFirst;
            applied = null;
            failure = null;
            failuresAfterApplied = 0;
            failureFirst = false;
            news = false;
        }
        if (a != null && f != null && fFirst) {
            state.failed(f, fAt, 1); // failed, then succeeded: on record, but not failing
        }
        if (a != null) {
            state.applied(a, aAt);
        }
        if (f != null && failures > 0) {
            state.failed(f, fAt, failures);
        }
    }

    private synchronized void await(long nanos) throws InterruptedException {
        if (news || closed) {
            return;
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(nanos, TimeUnit.SECONDS.toNanos(60)));
    }

    private void write(long start) {
        NodePolicyReportStatus status = state.status(clock.instant());
        NodeReportWriter.Outcome outcome = writer.write(status);
        if (outcome instanceof NodeReportWriter.Outcome.Written) {
            state.written();
            schedule.written(start, ThreadLocalRandom.current().nextDouble(0, 0.1));
            metrics.reportWrites.inc();
            metrics.reportLastWrite.set(clock.millis() / 1000.0);
            if (!everWritten || trouble != null) {
                LOG.info("node report {} written ({} policies, {} rejected){}", node, status.policyCount(),
                        status.rejectedCount(), trouble == null ? "" : "; the earlier trouble is over");
            } else {
                LOG.debug("node report {} written ({} policies)", node, status.policyCount());
            }
            everWritten = true;
            trouble = null;
        } else if (outcome instanceof NodeReportWriter.Outcome.Unavailable u) {
            schedule.failed(start, true);
            metrics.reportWriteErrors.inc();
            if (!u.reason().equals(trouble)) {
                LOG.warn("node report {} not written, trying again every heartbeat; enforcement goes on: {}", node,
                        u.reason());
            }
            trouble = u.reason();
        } else if (outcome instanceof NodeReportWriter.Outcome.Failed f) {
            schedule.failed(start, false);
            metrics.reportWriteErrors.inc();
            if (trouble == null) {
                LOG.warn("node report {} not written, retrying with backoff: {}", node, f.error());
            } else {
                LOG.debug("node report {} not written (attempt {}): {}", node, schedule.failures(), f.error());
            }
            trouble = f.error();
        } else {
            throw new AssertionError(outcome);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String format(Duration d) {
        return dev.weir.agent.Durations.format(d);
    }

    /** Stops publishing; the report stays as last written (its heartbeat then ages, which is what stale means). */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
