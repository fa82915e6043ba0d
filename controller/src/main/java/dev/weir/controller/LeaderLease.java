package dev.weir.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's part in the leader election: fabric8's {@code LeaderElector} on a {@code coordination.k8s.io/v1}
 * Lease ({@link LeaseSettings}). {@link #leading()} is what every write of the controller asks first. A leader that
 * loses the lease (it could not renew within the renew deadline, or another replica holds it) stops leading and
 * becomes a candidate again with a fresh elector (fabric8's cannot be restarted); {@link #close()} releases the lease
 * when leading, so a replica that stops cleanly hands over within a retry period instead of a lease duration.
 */
final class LeaderLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

    private final KubernetesClient client;
    private final LeaseSettings settings;
    private final Consumer<Boolean> changed;
    private final AtomicBoolean leading = new AtomicBoolean();
    private volatile CompletableFuture<?> election;
    private volatile String leader;
    private volatile boolean closed;

    /** {@code changed} is told each time this replica starts ({@code true}) or stops ({@code false}) leading. */
    LeaderLease(KubernetesClient client, LeaseSettings settings, Consumer<Boolean> changed) {
        this.client = client;
        this.settings = settings;
        this.changed = changed;
    }

    /** Becomes a candidate; returns at once (the election runs on the client's executor). */
    synchronized void start() {
        if (closed) {
            return;
        }
        LeaderCallbacks callbacks = new LeaderCallbacks(() -> transition(true), () -> transition(false),
                this::newLeader);
        var config = new LeaderElectionConfigBuilder().withName(settings.name())
                .withLock(new LeaseLock(settings.namespace(), settings.name(), settings.identity()))
                .withLeaseDuration(settings.duration()).withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod()).withLeaderCallbacks(callbacks).withReleaseOnCancel(true)
                .build();
        CompletableFuture<?> running = client.leaderElector().withConfig(config).build().start();
        election = running;
        running.whenComplete((ok, err) -> {
            // The elector ends when this replica stops leading (or when close() cancels it). Unless closing, stand
            // again: a replica that lost the lease for a moment (an API server hiccup) must be able to lead later.
            transition(false);
            if (!closed) {
                LOG.info("leader election on Lease {} ended{}; standing again", settings.describe(),
                        err == null ? "" : " (" + err + ")");
                start();
            }
        });
    }

    private void transition(boolean nowLeading) {
        if (leading.getAndSet(nowLeading) != nowLeading) {
            LOG.info(nowLeading ? "{} is the leader now (Lease {}): writing status, annotations and events"
                    : "{} stopped leading (Lease {}): writing nothing", settings.identity(), settings.describe());
            changed.accept(nowLeading);
        }
    }

    private void newLeader(String identity) {
        leader = identity;
        if (identity != null && !identity.equals(settings.identity())) {
            LOG.info("the leader is {} (Lease {})", identity, settings.describe());
        }
    }

    /** Whether this replica leads now. */
    boolean leading() {
        return leading.get();
    }

    /** The identity the Lease names as holder, as last observed, or null. */
    String leader() {
        return leader;
    }

    String identity() {
        return settings.identity();
    }

    /** Stops standing; a leader releases the Lease (fabric8's release-on-cancel) before this returns. */
    @Override
    public void close() {
        CompletableFuture<?> running;
        synchronized (this) {
            closed = true;
            running = election;
        }
        if (running != null) {
            running.cancel(true);
        }
        transition(false);
    }
}
