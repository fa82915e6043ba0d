package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.Findings;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptedConditionTest {

    private static final ObjectKey REF = ObjectKey.clusterNetworkPolicy("p");

    private static Condition invalid(long generation) {
        Findings findings = new Findings(REF);
        findings.error("spec.priority", "must be between 0 and 1000 (got 5000)");
        findings.error("spec.tier", "Unsupported value: \"Top\"");
        return AcceptedCondition.of(findings.rejected(), generation);
    }

    @Test
    void aRejectedPolicyIsNotAcceptedAndTheMessageNamesEveryInvalidField() {
        Condition c = invalid(3);

        assertThat(c.getType()).isEqualTo("Accepted");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("Invalid");
        assertThat(c.getObservedGeneration()).isEqualTo(3L);
        assertThat(c.getMessage()).isEqualTo("not enforced, invalid: spec.priority: must be between 0 and 1000"
                + " (got 5000); spec.tier: Unsupported value: \"Top\"");
    }

    @Test
    void aMissingConditionIsAddedNextToOtherTypesWithTheTimeOfNow() {
        Condition other = new ConditionBuilder().withType("Other").withStatus("True").build();

        Optional<List<Condition>> merged = AcceptedCondition.merge(List.of(other), invalid(1), "T1");

        assertThat(merged).hasValueSatisfying(list -> {
            assertThat(list).hasSize(2).contains(other);
            assertThat(list.get(1).getLastTransitionTime()).isEqualTo("T1");
        });
    }

    @Test
    void theSameContentWithAnotherTimeNeedsNoWrite() {
        Condition written = AcceptedCondition.merge(List.of(), invalid(1), "T1").orElseThrow().get(0);

        assertThat(AcceptedCondition.merge(List.of(written), invalid(1), "T2")).isEmpty();
    }

    @ParameterizedTest(name = "{0}: transition time {1}")
    @CsvSource({
            "new generation same status,     T1",
            "status flips,                   T2",
    })
    void aChangeIsWrittenAndTheTransitionTimeMovesOnlyWhenTheStatusFlips(String change, String expectedTime) {
        Condition old = AcceptedCondition.merge(List.of(), invalid(1), "T1").orElseThrow().get(0);
        Condition desired = change.startsWith("status")
                ? new ConditionBuilder(invalid(1)).withStatus("True").withReason("Accepted").build()
                : invalid(2);

        Optional<List<Condition>> merged = AcceptedCondition.merge(List.of(old), desired, "T2");

        assertThat(merged).hasValueSatisfying(list -> assertThat(list).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo(desired.getStatus());
            assertThat(c.getObservedGeneration()).isEqualTo(desired.getObservedGeneration());
            assertThat(c.getLastTransitionTime()).isEqualTo(expectedTime);
        }));
    }
}
