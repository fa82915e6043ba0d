package dev.weir.controller;

import dev.weir.agent.Rejection;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings what users see of one policy in line with the verdict on it, on the reconcile thread: a rejected version
 * gets its {@code PolicyRejected} Event (once per version, {@link KubeEventReporter}), a ClusterNetworkPolicy its
 * {@code Accepted} condition ({@link ClusterPolicyStatusWriter}). Level-triggered: it compares with what the cached
 * object carries, so reconciling a policy again writes nothing, and a new leader repairs whatever the last one left.
 * Every write asks {@code leading} first: only the leader writes.
 */
final class PolicyReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReconciler.class);

    private final PolicyBook book;
    private final ClusterPolicyStatusWriter status;
    private final KubeEventReporter events;
    private final ControllerMetrics metrics;
    private final BooleanSupplier leading;
    /** Per rejected policy: the {@link Rejection#reportKey()} of the version whose Event exists. */
    private final Map<ObjectKey, String> reported = new HashMap<>();

    PolicyReconciler(PolicyBook book, ClusterPolicyStatusWriter status, KubeEventReporter events,
            ControllerMetrics metrics, BooleanSupplier leading) {
        this.book = book;
        this.status = status;
        this.events = events;
        this.metrics = metrics;
        this.leading = leading;
    }

    /**
     * Reconciles the policy under {@code key} (gone: forgets it). Returns false when a write failed and the policy
     * should be reconciled again later; a conflict is no failure (the informer brings the newer version).
     */
    boolean reconcile(ObjectKey key) {
        Optional<PolicyBook.Verdict> found = book.verdict(key);
        if (found.isEmpty()) {
            reported.remove(key);
            if (key.kind() == ObjectKey.Kind.CLUSTER_NETWORK_POLICY) {
                status.forget(key.name());
            }
            return true;
        }
        PolicyBook.Verdict v = found.get();
        boolean ok = reportRejection(v);
        if (v.object() instanceof ClusterNetworkPolicy cnp) {
            ok &= writeConditions(cnp, List.of(AcceptedCondition.of(v.accepted(), v.diagnostics(),
                    cnp.getMetadata().getGeneration())));
        }
        return ok;
    }

    private boolean reportRejection(PolicyBook.Verdict v) {
        if (v.rejection().isEmpty()) {
            reported.remove(v.key());
            return true;
        }
        Rejection r = v.rejection().get();
        if (r.reportKey().equals(reported.get(v.key())) || !leading.getAsBoolean()) {
            return true;
        }
        try {
            if (events.create(r)) {
                metrics.writes.labelValues("event").inc();
                LOG.info("{} is rejected, Event {} created: {}", r.object(), KubeEventReporter.eventName(r),
                        r.message());
            }
            reported.put(v.key(), r.reportKey());
            return true;
        } catch (RuntimeException e) {
            metrics.writeErrors.labelValues("event").inc();
            LOG.warn("could not create the PolicyRejected Event of {}, retrying: {}", r.object(), e.toString());
            return false;
        }
    }

    private boolean writeConditions(ClusterNetworkPolicy cnp, List<Condition> desired) {
        if (!leading.getAsBoolean()) {
            return true;
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try {
            ClusterPolicyStatusWriter.Outcome outcome = status.write(cnp, desired, now);
            if (outcome == ClusterPolicyStatusWriter.Outcome.WRITTEN) {
                metrics.writes.labelValues("status").inc();
                for (Condition c : desired) {
                    LOG.info("ClusterNetworkPolicy {}: {}={} ({})", cnp.getMetadata().getName(), c.getType(),
                            c.getStatus(), c.getMessage());
                }
            }
            return true;
        } catch (RuntimeException e) {
            metrics.writeErrors.labelValues("status").inc();
            LOG.warn("could not write the status of ClusterNetworkPolicy {}, retrying: {}",
                    cnp.getMetadata().getName(), e.toString());
            return false;
        }
    }

    /** A new leader starts from what the caches show: Events already created collide by name and are not repeated. */
    void leadershipGained() {
        status.reset();
    }
}
