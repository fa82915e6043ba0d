package dev.weir.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionsTest {

    private static Condition condition(String type, String status, String message, long generation) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(type + status)
                .withMessage(message).withObservedGeneration(generation).build();
    }

    @Test
    void missingConditionsAreAddedAfterOtherTypesWithTheTimeOfNow() {
        Condition other = new ConditionBuilder().withType("Other").withStatus("True").build();

        Optional<List<Condition>> merged = Conditions.merge(List.of(other),
                List.of(condition("Accepted", "True", "ok", 1), condition("Enforced", "False", "1/2 nodes", 1)), "T1");

        assertThat(merged).hasValueSatisfying(list -> {
            assertThat(list).extracting(Condition::getType).containsExactly("Other", "Accepted", "Enforced");
            assertThat(list.get(0)).isSameAs(other);
            assertThat(list.subList(1, 3)).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("T1"));
        });
    }

    @Test
    void theSameContentWithAnotherTimeNeedsNoWrite() {
        List<Condition> written = Conditions.merge(List.of(), List.of(condition("Accepted", "False", "bad", 1)), "T1")
                .orElseThrow();

        assertThat(Conditions.merge(written, List.of(condition("Accepted", "False", "bad", 1)), "T2")).isEmpty();
    }

    @Test
    void oneChangedConditionRewritesOnlyItselfInPlace() {
        List<Condition> written = Conditions.merge(List.of(), List.of(condition("Accepted", "True", "ok", 1),
                condition("Enforced", "False", "1/2 nodes", 1)), "T1").orElseThrow();

        List<Condition> merged = Conditions.merge(written, List.of(condition("Accepted", "True", "ok", 1),
                condition("Enforced", "True", "2/2 nodes", 1)), "T2").orElseThrow();

        assertThat(merged.get(0)).isSameAs(written.get(0));
        assertThat(merged.get(1).getMessage()).isEqualTo("2/2 nodes");
        assertThat(merged.get(1).getLastTransitionTime()).isEqualTo("T2");
    }

    @ParameterizedTest(name = "{0}: transition time {1}")
    @CsvSource({
            "new generation same status,     T1",
            "new message same status,        T1",
            "status flips,                   T2",
    })
    void aChangeIsWrittenAndTheTransitionTimeMovesOnlyWhenTheStatusFlips(String change, String expectedTime) {
        List<Condition> old = Conditions.merge(List.of(), List.of(condition("Accepted", "False", "bad", 1)), "T1")
                .orElseThrow();
        Condition desired = switch (change.split(" ")[0]) {
            case "status" -> condition("Accepted", "True", "bad", 1);
            case "new" -> change.contains("generation") ? condition("Accepted", "False", "bad", 2)
                    : condition("Accepted", "False", "worse", 1);
            default -> throw new AssertionError(change);
        };

        Optional<List<Condition>> merged = Conditions.merge(old, List.of(desired), "T2");

        assertThat(merged).hasValueSatisfying(list -> assertThat(list).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo(desired.getStatus());
            assertThat(c.getMessage()).isEqualTo(desired.getMessage());
            assertThat(c.getObservedGeneration()).isEqualTo(desired.getObservedGeneration());
            assertThat(c.getLastTransitionTime()).isEqualTo(expectedTime);
        }));
    }
}
