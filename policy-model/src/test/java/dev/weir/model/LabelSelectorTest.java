package dev.weir.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.model.LabelSelector.Operator;
import dev.weir.model.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    @Test
    void matchLabelsAndEquivalentInExpressionsAreOneValue() {
        LabelSelector a = LabelSelector.matchLabels(Map.of("app", "web", "tier", "front"));
        LabelSelector b = LabelSelector.of(Map.of("tier", "front"),
                List.of(new Requirement("app", Operator.IN, List.of("web"))));
        assertThat(a).isEqualTo(b);
        assertThat(a.canonical()).isEqualTo("app in (web),tier in (front)");
    }

    @Test
    void canonicalFormSortsRequirementsAndValuesAndDropsDuplicates() {
        LabelSelector s = new LabelSelector(List.of(
                new Requirement("z", Operator.DOES_NOT_EXIST, List.of()),
                new Requirement("a", Operator.NOT_IN, List.of("y", "x", "y")),
                new Requirement("m", Operator.EXISTS, List.of()),
                new Requirement("m", Operator.EXISTS, List.of())));
        assertThat(s.canonical()).isEqualTo("a notin (x,y),m,!z");
        assertThat(s.keys()).containsExactly("a", "m", "z");
    }

    @Test
    void emptySelectorMatchesEverything() {
        assertThat(LabelSelector.all().matches(Map.of())).isTrue();
        assertThat(LabelSelector.all().matches(Map.of("a", "b"))).isTrue();
        assertThat(LabelSelector.all()).hasToString("{}");
    }

    @Test
    void notInMatchesAnAbsentKey() {
        Requirement r = new Requirement("app", Operator.NOT_IN, List.of("web"));
        assertThat(r.matches(Map.of())).isTrue();
        assertThat(r.matches(Map.of("app", "db"))).isTrue();
        assertThat(r.matches(Map.of("app", "web"))).isFalse();
    }

    @Test
    void operatorsValidateTheirValues() {
        assertThatThrownBy(() -> new Requirement("a", Operator.IN, List.of())).hasMessageContaining("needs at least");
        assertThatThrownBy(() -> new Requirement("a", Operator.EXISTS, List.of("x"))).hasMessageContaining("no values");
        assertThatThrownBy(() -> Operator.parse("in")).hasMessageContaining("\"in\"");
    }
}
