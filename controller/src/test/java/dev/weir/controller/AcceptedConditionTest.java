package dev.weir.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.Findings;
import dev.weir.model.Diagnostic;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptedConditionTest {

    private static final ObjectKey REF = ObjectKey.clusterNetworkPolicy("p");

    @Test
    void aRejectedPolicyIsNotAcceptedAndTheMessageNamesEveryInvalidField() {
        Findings findings = new Findings(REF);
        findings.error("spec.priority", "must be between 0 and 1000 (got 5000)");
        findings.error("spec.tier", "Unsupported value: \"Top\"");

        Condition c = AcceptedCondition.of(false, findings.rejected().diagnostics(), 3L);

        assertThat(c.getType()).isEqualTo("Accepted");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("Invalid");
        assertThat(c.getObservedGeneration()).isEqualTo(3L);
        assertThat(c.getLastTransitionTime()).isNull();
        assertThat(c.getMessage()).isEqualTo("not enforced, invalid: spec.priority: must be between 0 and 1000"
                + " (got 5000); spec.tier: Unsupported value: \"Top\"");
    }

    @Test
    void anAcceptedPolicyNamesItsCaveats() {
        Condition plain = AcceptedCondition.of(true, List.of(), 1L);
        Condition caveats = AcceptedCondition.of(true, List.of(new Diagnostic(REF, "spec.egress[0].to[0]",
                "domainNames peers are not enforced: this peer matches nothing")), 1L);

        assertThat(plain.getStatus()).isEqualTo("True");
        assertThat(plain.getReason()).isEqualTo("Accepted");
        assertThat(plain.getMessage()).isEqualTo("enforced by weir");
        assertThat(caveats.getMessage()).isEqualTo("enforced by weir, with caveats: spec.egress[0].to[0]: "
                + "domainNames peers are not enforced: this peer matches nothing");
    }

    @Test
    void aMessageLongerThanTheApiAllowsIsCut() {
        String longMessage = "x".repeat(Conditions.MAX_MESSAGE * 2);

        Condition c = AcceptedCondition.of(false, List.of(new Diagnostic(REF, "spec", longMessage)), 1L);

        assertThat(c.getMessage()).hasSize(Conditions.MAX_MESSAGE).endsWith("...");
    }
}
