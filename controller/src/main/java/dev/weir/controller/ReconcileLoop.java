package dev.weir.controller;

import dev.weir.agent.SyncTrigger;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's one worker thread: it takes what the informers left ({@link PendingObjects}) into the
 * {@link PolicyBook} and reconciles the policies that changed — all of them when this replica becomes the leader,
 * when the caches have first synced, and every resync interval. It wakes on the trigger or every {@link #TICK} for
 * retries. Nothing is written before the caches have synced, nor while this replica is not the leader (the book is
 * kept current all the same, so a new leader starts at once). A reconcile whose write failed is tried again after
 * {@link #RETRY}. The loop never dies of an exception.
 */
final class ReconcileLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration RETRY = Duration.ofSeconds(5);

    private final PendingObjects pending;
    private final PolicyBook book;
    private final PolicyReconciler reconciler;
    private final PolicyInformers informers;
    private final SyncTrigger trigger;
    private final Duration resync;
    private final ControllerMetrics metrics;
    private final BooleanSupplier leading;
    private final Thread thread;
    private final Map<ObjectKey, Long> retryAt = new HashMap<>();
    private volatile boolean reconcileAll;
    private volatile long heartbeat = System.nanoTime();
    private volatile boolean closed;
    private boolean wasSynced;
    private long lastResync = System.nanoTime();

    ReconcileLoop(PendingObjects pending, PolicyBook book, PolicyReconciler reconciler, PolicyInformers informers,
            SyncTrigger trigger, Duration resync, ControllerMetrics metrics, BooleanSupplier leading) {
        this.pending = pending;
        this.book = book;
        this.reconciler = reconciler;
        this.informers = informers;
        this.trigger = trigger;
        this.resync = resync;
        this.metrics = metrics;
        this.leading = leading;
        this.thread = new Thread(this::run, "weir-controller-reconcile");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** This replica started leading: reconcile every policy, starting from what the caches show. */
    void leadershipGained() {
        reconcileAll = true;
        trigger.poke();
    }

    private void run() {
        while (!closed) {
            try {
                trigger.await(TICK.toNanos());
                heartbeat = System.nanoTime();
                iterate(heartbeat);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | AssertionError e) {
                LOG.error("reconcile failed, going on", e);
                sleep();
            }
        }
    }

    private void iterate(long now) {
        PendingObjects.Drained drained = pending.drain();
        Set<ObjectKey> dirty = new TreeSet<>();
        for (Map.Entry<ObjectKey, Optional<HasMetadata>> e : drained.policies().entrySet()) {
            e.getValue().ifPresentOrElse(book::upsert, () -> book.delete(e.getKey()));
            dirty.add(e.getKey());
        }
        boolean synced = informers.synced();
        if (synced && !wasSynced) {
            wasSynced = true;
            reconcileAll = true;
            LOG.info("caches synced: {} policies", book.size());
        }
        if (now - lastResync >= resync.toNanos()) {
            lastResync = now;
            dirty.addAll(resyncBook());
            reconcileAll = true;
        }
        metrics.policies.set(book.size());
        metrics.policiesRejected.set(book.rejected());
        if (!synced || !leading.getAsBoolean()) {
            retryAt.clear(); // a leader reconciles everything when it starts
            return;
        }
        if (reconcileAll) {
            reconcileAll = false;
            reconciler.leadershipGained();
            dirty.addAll(book.keys());
        }
        retryAt.entrySet().removeIf(e -> {
            if (e.getValue() - now <= 0) {
                dirty.add(e.getKey());
                return true;
            }
            return false;
        });
        if (dirty.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        int failed = 0;
        for (ObjectKey key : dirty) {
            if (!leading.getAsBoolean()) {
                break;
            }
            if (!reconciler.reconcile(key)) {
                retryAt.put(key, System.nanoTime() + RETRY.toNanos());
                failed++;
            }
        }
        metrics.reconcileDuration.observe(Unit.nanosToSeconds(System.nanoTime() - start));
        LOG.debug("reconciled {} policies ({} to retry) in {} ms", dirty.size(), failed,
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The book made equal to the caches (a missed event is repaired): every cached policy translated again, the
     * ones the caches no longer hold deleted. Returns the keys deleted.
     */
    private Set<ObjectKey> resyncBook() {
        Set<ObjectKey> before = new HashSet<>(book.keys());
        for (HasMetadata o : informers.cachedPolicies()) {
            book.upsert(o);
            before.remove(dev.weir.agent.ChangeTranslator.keyOf(o));
        }
        before.forEach(book::delete);
        return before;
    }

    /** Whether the loop has come round within {@code limit}. */
    boolean alive(Duration limit) {
        return thread.isAlive() && System.nanoTime() - heartbeat < limit.toNanos();
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
