package dev.weir.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LabDurationsTest {

    @Test
    void durationsAreWrittenAsTheAgentFlagsWriteThem() {
        assertThat(LabDurations.parse("500ms", "--timeout")).isEqualTo(Duration.ofMillis(500));
        assertThat(LabDurations.parse("2s", "--timeout")).isEqualTo(Duration.ofSeconds(2));
        assertThat(LabDurations.parse("5m", "--timeout")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anythingElseIsAUsageErrorNamingTheFlag() {
        assertThatThrownBy(() -> LabDurations.parse("2 seconds", "--timeout")).hasMessageContaining("--timeout");
    }
}
