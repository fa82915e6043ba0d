package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartLintTest {

    @Test
    void strictLintReportsNoWarningOrError() {
        var result = WeirChart.lintStrict();

        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        // Only "[INFO]" remarks (e.g. "icon is recommended") are acceptable.
        assertThat(result.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }
}
