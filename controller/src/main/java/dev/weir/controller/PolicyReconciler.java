package dev.weir.controller;

import dev.weir.agent.Rejection;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings what users see of one policy in line with the verdict on it and its enforcement, on the reconcile thread:
 * a rejected version gets its {@code PolicyRejected} Event (once per version); a ClusterNetworkPolicy its
 * {@code Accepted} and {@code Enforced} conditions ({@link ClusterPolicyStatusWriter}); a NetworkPolicy its
 * {@code weir.dev/enforced} annotation ({@link EnforcedAnnotationWriter}) and an Event when its generation comes into
 * force on every node or stops being ({@link PolicyEvents}). Level-triggered: it compares with what the cached object
 * carries, so reconciling a policy again writes nothing, and a new leader repairs whatever the last one left. Every
 * write asks {@code leading} first: only the leader writes.
 */
final class PolicyReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReconciler.class);
    /** The head of an annotation value: enforcing/expected nodes and the generation. */
    private static final Pattern HEAD = Pattern.compile("^(\\d+)/(\\d+) nodes, generation (\\d+)");

    private final ClusterView view;
    private final ClusterPolicyStatusWriter status;
    private final EnforcedAnnotationWriter annotations;
    private final PolicyEvents events;
    private final ControllerMetrics metrics;
    private final BooleanSupplier leading;
    /** Per rejected policy: the {@link Rejection#reportKey()} of the version whose Event exists. */
    private final Map<ObjectKey, String> reported = new HashMap<>();
    /** Per NetworkPolicy: what its Events have said of its current generation. */
    private final Map<ObjectKey, Announced> announced = new HashMap<>();

    /**
     * What the Events said of a NetworkPolicy's generation: that it is in force everywhere ({@code enforced}); since
     * when it has not been ({@code incompleteSince}, nanos); whether a Warning says so ({@code warned}).
     */
    private record Announced(Long generation, boolean enforced, long incompleteSince, boolean warned) {
    }

    /** The moment of one reconcile pass: the wall clock for transition times, nanos for the grace, the stale limit. */
    record Moment(Instant now, long nanos, Duration staleLimit) {
    }

    PolicyReconciler(ClusterView view, ClusterPolicyStatusWriter status, EnforcedAnnotationWriter annotations,
            PolicyEvents events, ControllerMetrics metrics, BooleanSupplier leading) {
        this.view = view;
        this.status = status;
        this.annotations = annotations;
        this.events = events;
        this.metrics = metrics;
        this.leading = leading;
    }

    /**
     * Reconciles the policy under {@code key} (gone: forgets it); {@code enforcement} is empty where the controller
     * cannot tell (no node reports served). Returns false when a write failed and the policy should be reconciled
     * again later; a conflict is no failure (the informer brings the newer version).
     */
    boolean reconcile(ObjectKey key, Optional<EnforcementSummary> enforcement, Moment at) {
        Optional<ClusterView.Verdict> found = view.verdict(key);
        if (found.isEmpty()) {
            reported.remove(key);
            announced.remove(key);
            if (key.kind() == ObjectKey.Kind.CLUSTER_NETWORK_POLICY) {
                status.forget(key.name());
            } else {
                annotations.forget(key.namespace(), key.name());
            }
            return true;
        }
        ClusterView.Verdict v = found.get();
        Long generation = v.object().getMetadata().getGeneration();
        Optional<EnforcementSummary> summary = v.accepted() ? enforcement
                : enforcement.map(e -> EnforcementSummary.rejected(generation));
        boolean ok = reportRejection(v);
        if (v.object() instanceof ClusterNetworkPolicy cnp) {
            List<Condition> desired = new ArrayList<>();
            desired.add(AcceptedCondition.of(v.accepted(), v.diagnostics(), generation));
            summary.ifPresent(s -> desired.add(s.condition()));
            ok &= writeConditions(cnp, desired, at);
        } else if (v.object() instanceof NetworkPolicy np && summary.isPresent()) {
            ok &= writeAnnotation(np, summary.get());
            if (ok) {
                ok = announce(key, np, summary.get(), at);
            }
        }
        return ok;
    }

    private boolean reportRejection(ClusterView.Verdict v) {
        if (v.rejection().isEmpty()) {
            reported.remove(v.key());
            return true;
        }
        Rejection r = v.rejection().get();
        if (r.reportKey().equals(reported.get(v.key())) || !leading.getAsBoolean()) {
            return true;
        }
        try {
            if (events.rejected(r)) {
                metrics.writes.labelValues("event").inc();
                LOG.info("{} is rejected, Event {} created: {}", r.object(), PolicyEvents.eventName(r), r.message());
            }
            reported.put(v.key(), r.reportKey());
            return true;
        } catch (RuntimeException e) {
            metrics.writeErrors.labelValues("event").inc();
            LOG.warn("could not create the PolicyRejected Event of {}, retrying: {}", r.object(), e.toString());
            return false;
        }
    }

    private boolean writeConditions(ClusterNetworkPolicy cnp, List<Condition> desired, Moment at) {
        if (!leading.getAsBoolean()) {
            return true;
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(at.now().truncatedTo(ChronoUnit.SECONDS));
        try {
            ClusterPolicyStatusWriter.Outcome outcome = status.write(cnp, desired, now);
            if (outcome == ClusterPolicyStatusWriter.Outcome.WRITTEN) {
                metrics.writes.labelValues("status").inc();
                LOG.info("ClusterNetworkPolicy {}: {}", cnp.getMetadata().getName(), String.join(", ",
                        desired.stream().map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getMessage() + ")")
                                .toList()));
            }
            return true;
        } catch (RuntimeException e) {
            metrics.writeErrors.labelValues("status").inc();
            LOG.warn("could not write the status of ClusterNetworkPolicy {}, retrying: {}",
                    cnp.getMetadata().getName(), e.toString());
            return false;
        }
    }

    private boolean writeAnnotation(NetworkPolicy np, EnforcementSummary summary) {
        if (!leading.getAsBoolean()) {
            return true;
        }
        try {
            if (annotations.write(np, summary.annotation())) {
                metrics.writes.labelValues("annotation").inc();
                LOG.info("NetworkPolicy {}/{}: {}={}", np.getMetadata().getNamespace(), np.getMetadata().getName(),
                        EnforcementSummary.ANNOTATION, summary.annotation());
            }
            return true;
        } catch (RuntimeException e) {
            metrics.writeErrors.labelValues("annotation").inc();
            LOG.warn("could not annotate NetworkPolicy {}/{}, retrying: {}", np.getMetadata().getNamespace(),
                    np.getMetadata().getName(), e.toString());
            return false;
        }
    }

    /**
     * The NetworkPolicy's Events: {@value PolicyEvents#ENFORCED} when its generation comes into force on every node
     * that should enforce it; {@value PolicyEvents#NOT_ENFORCED} when it stops being (a node lags or goes stale) or
     * has not come into force within the stale limit of its generation appearing. Nothing for a rejected policy (its
     * PolicyRejected Event says it) or one no node has pods for. A new leader starts from the annotation the last
     * one wrote: a generation it showed in force is not announced again.
     */
    private boolean announce(ObjectKey key, NetworkPolicy np, EnforcementSummary s, Moment at) {
        if (!leading.getAsBoolean()) {
            return true;
        }
        Announced a = announced.get(key);
        if (a == null || !java.util.Objects.equals(a.generation(), s.generation())) {
            a = new Announced(s.generation(), a == null && inForceBefore(np, s.generation()), at.nanos(), false);
        }
        Announced next = a;
        try {
            if (s.status() == EnforcementSummary.Status.Enforced && !a.enforced()) {
                event(key, np, true, "enforced on " + s.annotation());
                next = new Announced(a.generation(), true, at.nanos(), false);
            } else if (s.status() == EnforcementSummary.Status.Lagging
                    || s.status() == EnforcementSummary.Status.NodesStale) {
                if (a.enforced()) {
                    event(key, np, false, "no longer enforced everywhere: " + s.message());
                    next = new Announced(a.generation(), false, at.nanos(), true);
                } else if (!a.warned() && at.nanos() - a.incompleteSince() >= at.staleLimit().toNanos()) {
                    event(key, np, false, "not enforced everywhere " + dev.weir.agent.Durations.format(
                            at.staleLimit()) + " after it changed: " + s.message());
                    next = new Announced(a.generation(), false, a.incompleteSince(), true);
                }
            } else if (s.status() != EnforcementSummary.Status.Enforced) {
                next = new Announced(a.generation(), false, at.nanos(), a.warned());
            }
            announced.put(key, next);
            return true;
        } catch (RuntimeException e) {
            metrics.writeErrors.labelValues("event").inc();
            LOG.warn("could not create an Event on NetworkPolicy {}, retrying: {}", key, e.toString());
            announced.put(key, a);
            return false;
        }
    }

    private void event(ObjectKey key, NetworkPolicy np, boolean enforced, String message) {
        if (events.enforcement(key, np.getMetadata().getUid(), enforced, message)) {
            metrics.writes.labelValues("event").inc();
            LOG.info("{}: {} Event: {}", key, enforced ? PolicyEvents.ENFORCED : PolicyEvents.NOT_ENFORCED, message);
        }
    }

    /** Whether the annotation (as a leader before wrote it) showed {@code generation} in force on every node. */
    private static boolean inForceBefore(NetworkPolicy np, Long generation) {
        String value = EnforcedAnnotationWriter.current(np);
        if (value == null || generation == null) {
            return false;
        }
        Matcher m = HEAD.matcher(value);
        return m.find() && m.group(1).equals(m.group(2)) && !m.group(2).equals("0")
                && Long.parseLong(m.group(3)) == generation;
    }

    /** A new leader starts from what the caches show: Events already created collide by name and are not repeated. */
    void leadershipGained() {
        status.reset();
        annotations.reset();
        announced.clear();
    }
}
