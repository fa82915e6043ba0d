package dev.weir.agent;

import dev.weir.k8s.Translated;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Accepted} condition a ClusterNetworkPolicy's status carries, and whether a status needs writing. Pure:
 * every agent computes the same content from the same object, so concurrent writers converge (the transition time is
 * kept while the status does not flip, and it is not compared).
 */
public final class AcceptedCondition {

    static final String TYPE = "Accepted";
    static final String REASON_ACCEPTED = "Accepted";
    static final String REASON_INVALID = "Invalid";
    private static final int MAX_MESSAGE = 32_768; // the API's limit for a condition message

    private AcceptedCondition() {
    }

    /** What {@code translation} of generation {@code generation} says, without a transition time. */
    public static Condition of(Translated<?> translation, Long generation) {
        boolean accepted = translation.isAccepted();
        String message;
        if (accepted) {
            message = translation.diagnostics().isEmpty() ? "enforced by weir"
                    : "enforced by weir, with caveats: " + Rejection.message(translation.diagnostics());
        } else {
            message = "not enforced, invalid: " + Rejection.message(translation.diagnostics());
        }
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 3) + "...";
        }
        return new ConditionBuilder().withType(TYPE).withStatus(accepted ? "True" : "False")
                .withReason(accepted ? REASON_ACCEPTED : REASON_INVALID).withMessage(message)
                .withObservedGeneration(generation).build();
    }

    /**
     * The conditions to write so that {@code existing} carries {@code desired}, or empty when it already does (same
     * status, reason, message and observedGeneration). Other condition types stay as they are; the transition time
     * is {@code now} when the status flips or the condition is new, else the old one.
     */
    public static Optional<List<Condition>> merge(List<Condition> existing, Condition desired, String now) {
        List<Condition> out = new ArrayList<>();
        Condition old = null;
        for (Condition c : existing == null ? List.<Condition>of() : existing) {
            if (TYPE.equals(c.getType())) {
                old = c;
            } else {
                out.add(c);
            }
        }
        if (old != null && Objects.equals(old.getStatus(), desired.getStatus())
                && Objects.equals(old.getReason(), desired.getReason())
                && Objects.equals(old.getMessage(), desired.getMessage())
                && Objects.equals(old.getObservedGeneration(), desired.getObservedGeneration())) {
            return Optional.empty();
        }
        String since = old != null && Objects.equals(old.getStatus(), desired.getStatus())
                && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : now;
        out.add(new ConditionBuilder(desired).withLastTransitionTime(since).build());
        return Optional.of(out);
    }
}
