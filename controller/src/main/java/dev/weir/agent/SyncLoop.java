package dev.weir.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one worker thread: asks the {@link Pacer} what is due, runs it with the {@link SyncWorker}, and otherwise
 * sleeps on the {@link SyncTrigger}. The loop never dies of an exception: it logs, counts (the worker's error counter)
 * and goes on. {@link #step()} runs one decision without sleeping, for tests that drive time themselves.
 */
public final class SyncLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

    private final Pacer pacer;
    private final SyncWorker worker;
    private final SyncTrigger trigger;
    private final PendingChanges pending;
    private final BooleanSupplier localChanged;
    private final BooleanSupplier synced;
    private final LongSupplier ticker;
    private final String name;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile long heartbeat;
    private volatile boolean lastSucceeded;
    private volatile boolean everSucceeded;
    private final long startedAt;
    private long nextUnsyncedWarning;

    public SyncLoop(String name, Pacer pacer, SyncWorker worker, SyncTrigger trigger, PendingChanges pending,
            BooleanSupplier synced, LongSupplier ticker) {
        this(name, pacer, worker, trigger, pending, () -> false, synced, ticker);
    }

    /**
     * As above; {@code localChanged} says the node's own network changed (a pod's interface came or went), which is
     * pending work just like a recorded change.
     */
    public SyncLoop(String name, Pacer pacer, SyncWorker worker, SyncTrigger trigger, PendingChanges pending,
            BooleanSupplier localChanged, BooleanSupplier synced, LongSupplier ticker) {
        this.localChanged = localChanged;
        this.name = name;
        this.pacer = pacer;
        this.worker = worker;
        this.trigger = trigger;
        this.pending = pending;
        this.synced = synced;
        this.ticker = ticker;
        this.heartbeat = ticker.getAsLong();
        this.startedAt = heartbeat;
        this.nextUnsyncedWarning = startedAt + UNSYNCED_WARNING.toNanos();
    }

    /** How long the caches may take to sync before the loop says so (and again every such period). */
    static final Duration UNSYNCED_WARNING = Duration.ofSeconds(30);

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("sync loop already started");
        }
        Thread t = new Thread(this::runLoop, "weir-sync-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void runLoop() {
        org.slf4j.MDC.put(LogKeys.NODE, name);
        while (!closed) {
            try {
                long waitNanos = step();
                if (waitNanos > 0) {
                    trigger.await(waitNanos);
                }
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
                Thread.interrupted();
            } catch (Exception | LinkageError | AssertionError e) {
                // A bug in a pure step must not stop enforcement of what is already applied; say so loudly, go on.
                LOG.error("sync loop iteration failed, continuing", e);
                try {
                    Thread.sleep(Pacer.MIN_BACKOFF.toMillis());
                } catch (InterruptedException ie) {
                    if (closed) {
                        break;
                    }
                }
            }
        }
        LOG.info("sync loop stopped; the applied rules stay in place");
    }

    /** Runs what is due now, if anything; returns how long to wait before asking again (0: ask again at once). */
    public long step() {
        long now = ticker.getAsLong();
        heartbeat = now;
        boolean isSynced = synced.getAsBoolean();
        if (!isSynced && now - nextUnsyncedWarning >= 0) {
            nextUnsyncedWarning = now + UNSYNCED_WARNING.toNanos();
            LOG.warn("informer caches still not synced after {} s: nothing applied yet, existing rules left as they"
                    + " are (is the API server reachable?)", (now - startedAt) / 1_000_000_000L);
        }
        Pacer.Plan plan = pacer.plan(now, !pending.isEmpty() || localChanged.getAsBoolean(), isSynced);
        if (plan instanceof Pacer.Wait w) {
            return w.nanos();
        }
        if (plan instanceof Pacer.Run r) {
            boolean ok = worker.run(r.kind());
            pacer.finished(r.kind(), now, ok);
            lastSucceeded = ok;
            everSucceeded |= ok;
            if (!ok) {
                LOG.warn("retrying in {} ms (attempt {})", pacer.backoff(pacer.consecutiveFailures()).toMillis(),
                        pacer.consecutiveFailures() + 1);
            }
            heartbeat = ticker.getAsLong();
            return 0;
        }
        throw new AssertionError(plan);
    }

    /** True while the worker thread runs and has come round within {@code stallLimit}. */
    public boolean alive(Duration stallLimit) {
        Thread t = thread;
        return t != null && t.isAlive() && !closed && ticker.getAsLong() - heartbeat < stallLimit.toNanos();
    }

    /** Whether the most recent sync succeeded and at least one ever did. */
    public boolean lastSyncSucceeded() {
        return everSucceeded && lastSucceeded;
    }

    public boolean everSucceeded() {
        return everSucceeded;
    }

    public int consecutiveFailures() {
        return pacer.consecutiveFailures();
    }

    /** Stops the thread. The kernel is left as the last apply made it: rules stay on shutdown. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            // Wake it rather than interrupt it: an apply in progress finishes (a half-run ipset restore would not).
            trigger.poke();
            try {
                t.join(10_000);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
