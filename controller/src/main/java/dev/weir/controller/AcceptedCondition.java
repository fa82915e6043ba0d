package dev.weir.controller;

import dev.weir.agent.Rejection;
import dev.weir.model.Diagnostic;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;

/**
 * The {@code Accepted} condition a ClusterNetworkPolicy's status carries: what the agents' translation makes of the
 * policy's generation (the controller translates it with the same code, {@link ClusterView}). Pure.
 */
final class AcceptedCondition {

    static final String TYPE = "Accepted";
    static final String REASON_ACCEPTED = "Accepted";
    static final String REASON_INVALID = "Invalid";

    private AcceptedCondition() {
    }

    /**
     * The condition for a policy of generation {@code generation} that is {@code accepted} (then {@code diagnostics}
     * are its caveats) or rejected (then they say why), without a transition time.
     */
    static Condition of(boolean accepted, List<Diagnostic> diagnostics, Long generation) {
        String message;
        if (accepted) {
            message = diagnostics.isEmpty() ? "enforced by weir"
                    : "enforced by weir, with caveats: " + Rejection.message(diagnostics);
        } else {
            message = "not enforced, invalid: " + Rejection.message(diagnostics);
        }
        return new ConditionBuilder().withType(TYPE).withStatus(accepted ? "True" : "False")
                .withReason(accepted ? REASON_ACCEPTED : REASON_INVALID).withMessage(Conditions.truncate(message))
                .withObservedGeneration(generation).build();
    }
}
