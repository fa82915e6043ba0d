package dev.weir.controller;

import dev.weir.agent.Durations;
import dev.weir.status.NodeVerdict;
import dev.weir.status.PolicyEnforcement;
import dev.weir.status.Staleness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What users read about one policy's enforcement: the {@code Enforced} condition of a ClusterNetworkPolicy, the
 * {@code weir.dev/enforced} annotation of a NetworkPolicy, and the message of its Events. Pure, from the shared
 * {@link PolicyEnforcement} (or the controller's own verdict that the policy is rejected). Nothing in it moves with the
 * clock (a node silent for 61 s and for 62 s reads the same), so computing it again writes nothing.
 *
 * <p>{@code "3/3 nodes, generation 4"}: the nodes that enforce the current generation over the nodes that should (those
 * running pods the policy judges); lagging nodes and stale ones are named, at most {@value #NAMED} of each.
 */
record EnforcementSummary(Status status, long enforcing, long expected, Long generation, String annotation,
        String message) {

    static final String TYPE = "Enforced";
    static final String ANNOTATION = "weir.dev/enforced";
    /** Nodes named per kind (lagging, stale); more are counted. */
    static final int NAMED = 10;
    private static final int MAX_REASON = 200;

    /** The condition's reason; {@code True} for the first two. */
    enum Status {
        /** Every node that should enforce the current generation does. */
        Enforced,
        /** No node runs a pod the policy judges: nothing to enforce. */
        NothingToEnforce,
        /** A node whose agent is alive does not enforce the current generation (yet). */
        Lagging,
        /** Only stale nodes (no report, or too old) are missing. */
        NodesStale,
        /** weir leaves the policy out as invalid (its Accepted condition and PolicyRejected Event say why). */
        Rejected;

        boolean enforced() {
            return this == Enforced || this == NothingToEnforce;
        }
    }

    EnforcementSummary {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(annotation, "annotation");
        Objects.requireNonNull(message, "message");
    }

    /** The summary of {@code e}; {@code staleLimit} names how old a stale node's report is at least. */
    static EnforcementSummary of(PolicyEnforcement e, Duration staleLimit) {
        Long generation = e.policy().generation();
        String head = e.enforced() + " nodes" + (generation == null ? "" : ", generation " + generation);
        Map<String, NodeVerdict.Lagging> lagging = e.lagging();
        Map<String, NodeVerdict.Stale> stale = e.stale();
        List<String> names = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        if (!lagging.isEmpty()) {
            names.add("lagging: " + join(lagging.keySet().stream().toList(), null));
            reasons.add("lagging: " + join(lagging.keySet().stream().toList(),
                    n -> n + " (" + cut(lagging.get(n).describe()) + ")"));
        }
        if (!stale.isEmpty()) {
            names.add("stale: " + join(stale.keySet().stream().toList(), null));
            reasons.add("stale: " + join(stale.keySet().stream().toList(),
                    n -> n + " (" + staleReason(stale.get(n).staleness(), staleLimit) + ")"));
        }
        Status status;
        if (e.expected() == 0) {
            status = Status.NothingToEnforce;
        } else if (e.complete()) {
            status = Status.Enforced;
        } else {
            status = lagging.isEmpty() ? Status.NodesStale : Status.Lagging;
        }
        String annotation = names.isEmpty() ? head : head + "; " + String.join("; ", names);
        String message = reasons.isEmpty() ? head : head + "; " + String.join("; ", reasons);
        if (status == Status.NothingToEnforce) {
            annotation = head + " (no node runs a pod it selects)";
            message = annotation;
        }
        return new EnforcementSummary(status, e.enforcing(), e.expected(), generation, annotation,
                Conditions.truncate(message));
    }

    /** A policy weir rejects: enforced nowhere, whatever the reports say. */
    static EnforcementSummary rejected(Long generation) {
        String text = "not enforced" + (generation == null ? "" : ", generation " + generation)
                + ": rejected as invalid";
        return new EnforcementSummary(Status.Rejected, 0, 0, generation, text, text);
    }

    /** The {@code Enforced} condition of a ClusterNetworkPolicy, without a transition time. */
    Condition condition() {
        return new ConditionBuilder().withType(TYPE).withStatus(status.enforced() ? "True" : "False")
                .withReason(status.name()).withMessage(message).withObservedGeneration(generation).build();
    }

    boolean enforced() {
        return status.enforced();
    }

    /** {@code n1, n2, …} with at most {@link #NAMED} named and the rest counted. */
    private static String join(List<String> nodes, java.util.function.Function<String, String> describe) {
        List<String> out = new ArrayList<>();
        for (String n : nodes.subList(0, Math.min(NAMED, nodes.size()))) {
            out.add(describe == null ? n : describe.apply(n));
        }
        if (nodes.size() > NAMED) {
            out.add("and " + (nodes.size() - NAMED) + " more");
        }
        return String.join(", ", out);
    }

    private static String staleReason(Staleness s, Duration staleLimit) {
        if (s instanceof Staleness.NoReport) {
            return "no report";
        } else if (s instanceof Staleness.NoHeartbeat) {
            return "report without a heartbeat";
        } else if (s instanceof Staleness.Silent) {
            return "no heartbeat for over " + Durations.format(staleLimit); // not the age: it would move every second
        }
        throw new AssertionError(s);
    }

    private static String cut(String text) {
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON - 3) + "..." : text;
    }
}
