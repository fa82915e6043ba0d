package dev.weir.controller;

import dev.weir.agent.SyncTrigger;
import dev.weir.model.ObjectKey;
import dev.weir.status.Enforcement;
import dev.weir.status.NodeReport;
import dev.weir.status.NodeReports;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import dev.weir.status.PolicyEnforcement;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's one worker thread. It takes what the informers left ({@link PendingObjects}) into the
 * {@link ClusterView}, works out which nodes enforce which policy ({@link Enforcement}: after a change at most every
 * {@link #ENFORCEMENT_MIN_INTERVAL}, and every {@link #ENFORCEMENT_TICK} anyway, since a node goes stale without any
 * event), and reconciles the policies whose verdict or enforcement changed — all of them when this replica becomes
 * the leader, when the caches have first synced, and every resync interval. Nothing is written before the caches have
 * synced, nor while this replica is not the leader (the view is kept current all the same, so a new leader starts at
 * once). A reconcile whose write failed is tried again after {@link #RETRY}. The loop never dies of an exception.
 */
final class ReconcileLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration RETRY = Duration.ofSeconds(5);
    static final Duration ENFORCEMENT_MIN_INTERVAL = Duration.ofMillis(500);
    static final Duration ENFORCEMENT_TICK = Duration.ofSeconds(5);

    private final PendingObjects pending;
    private final ClusterView view;
    private final PolicyReconciler reconciler;
    private final ControllerInformers informers;
    private final SyncTrigger trigger;
    private final ControllerConfig config;
    private final ControllerMetrics metrics;
    private final BooleanSupplier leading;
    private final Thread thread;
    private final Map<ObjectKey, Long> retryAt = new HashMap<>();
    /** The enforcement of each policy as last computed (and reconciled). */
    private Map<ObjectKey, EnforcementSummary> summaries = Map.of();
    private volatile boolean reconcileAll;
    private volatile long heartbeat = System.nanoTime();
    private volatile boolean closed;
    private boolean wasSynced;
    private boolean warnedStaleLimit;
    private boolean enforcementChanged = true;
    /** When enforcement was last computed (nanos); null before the first time. */
    private Long lastEnforcement;
    private long lastResync = System.nanoTime();

    ReconcileLoop(PendingObjects pending, ClusterView view, PolicyReconciler reconciler, ControllerInformers informers,
            SyncTrigger trigger, ControllerConfig config, ControllerMetrics metrics, BooleanSupplier leading) {
        this.pending = pending;
        this.view = view;
        this.reconciler = reconciler;
        this.informers = informers;
        this.trigger = trigger;
        this.config = config;
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
        long wait = TICK.toNanos();
        while (!closed) {
            try {
                trigger.await(Math.max(wait, 1_000_000));
                heartbeat = System.nanoTime();
                wait = iterate(heartbeat);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | AssertionError e) {
                LOG.error("reconcile failed, going on", e);
                sleep();
            }
        }
    }

    /** One round at {@code now} (nanos); returns how long to wait for the next one at most. */
    private long iterate(long now) {
        Set<ObjectKey> dirty = new TreeSet<>();
        take(pending.drain(), dirty);
        boolean synced = informers.synced();
        if (synced && !wasSynced) {
            wasSynced = true;
            reconcileAll = true;
            LOG.info("caches synced: {} policies", view.size());
        }
        if (now - lastResync >= config.resyncInterval().toNanos()) {
            lastResync = now;
            resync();
            reconcileAll = true;
        }
        metrics.policies.set(view.size());
        metrics.policiesRejected.set(view.rejected());
        if (!synced || !leading.getAsBoolean()) {
            retryAt.clear(); // a leader reconciles everything when it starts
            return TICK.toNanos();
        }
        if (reconcileAll) {
            reconcileAll = false;
            reconciler.leadershipGained();
            dirty.addAll(view.keys());
        }
        long untilEnforcement = enforcement(now, dirty);
        retryAt.entrySet().removeIf(e -> {
            if (e.getValue() - now <= 0) {
                dirty.add(e.getKey());
                return true;
            }
            return false;
        });
        if (!dirty.isEmpty()) {
            reconcile(dirty);
        }
        return Math.min(TICK.toNanos(), untilEnforcement);
    }

    /** The drained changes into the view; changed policies are dirty, and any change may move enforcement. */
    private void take(PendingObjects.Drained drained, Set<ObjectKey> dirty) {
        for (Map.Entry<ObjectKey, Optional<HasMetadata>> e : drained.objects().entrySet()) {
            e.getValue().ifPresentOrElse(view::upsert, () -> view.delete(e.getKey()));
            if (e.getKey().kind() == ObjectKey.Kind.NETWORK_POLICY
                    || e.getKey().kind() == ObjectKey.Kind.CLUSTER_NETWORK_POLICY) {
                dirty.add(e.getKey());
            }
        }
        for (Map.Entry<String, Optional<HasMetadata>> e : drained.reports().entrySet()) {
            view.report(e.getKey(), e.getValue().flatMap(this::read));
        }
        enforcementChanged |= !drained.isEmpty();
    }

    /** A report read into the shared model; one that cannot be read counts as none (said at WARN). */
    private Optional<NodeReport> read(HasMetadata report) {
        try {
            return Optional.of(NodeReports.read((GenericKubernetesResource) report));
        } catch (RuntimeException e) {
            LOG.warn("the report of node {} cannot be read, counting it as none: {}", report.getMetadata().getName(),
                    e.toString());
            return Optional.empty();
        }
    }

    /**
     * Computes which nodes enforce which policy when due, and marks dirty every policy whose summary changed, and
     * every NetworkPolicy not in force (its warning waits for a grace time). Returns the nanos until it is due again.
     */
    private long enforcement(long now, Set<ObjectKey> dirty) {
        if (!informers.reportsWatched()) {
            return TICK.toNanos();
        }
        long since = lastEnforcement == null ? Long.MAX_VALUE : now - lastEnforcement;
        // a policy new or of a new generation is computed at once: one write carries its verdict and enforcement
        boolean due = since >= ENFORCEMENT_TICK.toNanos()
                || (enforcementChanged && since >= ENFORCEMENT_MIN_INTERVAL.toNanos())
                || dirty.stream().anyMatch(this::notComputed);
        if (!due) {
            return enforcementChanged ? ENFORCEMENT_MIN_INTERVAL.toNanos() - since : ENFORCEMENT_TICK.toNanos() - since;
        }
        lastEnforcement = now;
        enforcementChanged = false;
        Duration staleLimit = config.staleAfter();
        warnIfStaleLimitTooShort(staleLimit);
        Enforcement e = view.enforcement(Instant.now(), staleLimit);
        Map<ObjectKey, EnforcementSummary> next = new HashMap<>();
        for (PolicyEnforcement p : e.policies()) {
            EnforcementSummary s = EnforcementSummary.of(p, staleLimit);
            ObjectKey key = p.policy().key();
            next.put(key, s);
            if (!s.equals(summaries.get(key))
                    || (key.kind() == ObjectKey.Kind.NETWORK_POLICY && !s.enforced())) {
                dirty.add(key);
            }
        }
        summaries = next;
        return ENFORCEMENT_MIN_INTERVAL.toNanos();
    }

    /**
     * Once: a stale limit under one and a half heartbeat intervals of the agents calls healthy nodes stale between
     * two heartbeats (an agent whose policies do not change writes its report only at the heartbeat).
     */
    private void warnIfStaleLimitTooShort(Duration staleLimit) {
        Duration heartbeat = view.longestHeartbeat();
        if (!warnedStaleLimit && staleLimit.compareTo(heartbeat.plus(heartbeat.dividedBy(2))) < 0) {
            warnedStaleLimit = true;
            LOG.warn("--stale-after {} is shorter than 1.5 x the agents' heartbeat interval ({}): nodes whose "
                    + "policies do not change will show as stale between heartbeats; raise it (3 heartbeats is a "
                    + "fair limit)", dev.weir.agent.Durations.format(staleLimit),
                    dev.weir.agent.Durations.format(heartbeat));
        }
    }

    /** Whether the policy exists and its enforcement was not computed for its current generation. */
    private boolean notComputed(ObjectKey key) {
        Optional<ClusterView.Verdict> v = view.verdict(key);
        EnforcementSummary s = summaries.get(key);
        return v.isPresent() && (s == null
                || !java.util.Objects.equals(s.generation(), v.get().object().getMetadata().getGeneration()));
    }

    private void reconcile(Set<ObjectKey> dirty) {
        long start = System.nanoTime();
        PolicyReconciler.Moment at = new PolicyReconciler.Moment(Instant.now(), start, config.staleAfter());
        int failed = 0;
        for (ObjectKey key : dirty) {
            if (!leading.getAsBoolean()) {
                break;
            }
            Optional<EnforcementSummary> summary = informers.reportsWatched()
                    ? Optional.ofNullable(summaries.get(key)) : Optional.empty();
            if (!reconciler.reconcile(key, summary, at)) {
                retryAt.put(key, System.nanoTime() + RETRY.toNanos());
                failed++;
            }
        }
        metrics.reconcileDuration.observe(Unit.nanosToSeconds(System.nanoTime() - start));
        LOG.debug("reconciled {} policies ({} to retry) in {} ms", dirty.size(), failed,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The view made equal to the caches (a missed event is repaired), the cached objects read back one at a time. */
    private void resync() {
        Map<String, NodeReport> reports = new HashMap<>();
        view.replaceAll(each -> informers.forEachCached(o -> {
            if (o instanceof GenericKubernetesResource) {
                read(o).ifPresent(r -> reports.put(o.getMetadata().getName(), r));
            } else {
                each.accept(o);
            }
        }));
        view.replaceReports(reports);
        enforcementChanged = true;
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
