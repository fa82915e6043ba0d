package dev.weir.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the report is written, over hand-moved nanos: coalescing, heartbeat, backoff. */
class ReportScheduleTest {

    private static final long S = 1_000_000_000L;
    private final ReportSchedule schedule = new ReportSchedule(Duration.ofSeconds(5), Duration.ofSeconds(60));

    @Test
    void nothingIsWrittenBeforeTheFirstSyncHasFinished() {
        assertThat(schedule.untilNextWrite(0, false, false)).isEqualTo(ReportSchedule.IDLE);
    }

    @Test
    void theFirstReportGoesOutAtOnce() {
        assertThat(schedule.untilNextWrite(7 * S, true, true)).isZero();
    }

    @Test
    void aBurstOfChangesIsOneWriteNowAndOneAnIntervalLater() {
        List<Long> writes = new ArrayList<>();
        int applied = 0;
        int written = 0;
        // 20 applies, one every 100 ms, each changing the report; the publisher looks every 10 ms
        for (long now = 0; now <= 12 * S; now += S / 100) {
            if (now % (S / 10) == 0 && applied < 20) {
                applied++;
            }
            if (schedule.untilNextWrite(now, true, applied != written) == 0) {
                writes.add(now);
                written = applied;
                schedule.written(now, 0);
            }
        }
        assertThat(writes).containsExactly(0L, 5 * S);
    }

    @Test
    void aChangeIsWrittenOneIntervalAfterTheLastWriteAndNoSooner() {
        schedule.written(0, 0);
        assertThat(schedule.untilNextWrite(S, true, true)).isEqualTo(4 * S);
        assertThat(schedule.untilNextWrite(5 * S, true, true)).isZero();
        assertThat(schedule.untilNextWrite(9 * S, true, true)).isZero();
    }

    @Test
    void anUnchangedReportIsWrittenAgainAfterTheHeartbeatShortenedByItsJitter() {
        schedule.written(0, 0);
        assertThat(schedule.untilNextWrite(S, true, false)).isEqualTo(59 * S);
        schedule.written(100 * S, 0.05);
        assertThat(schedule.untilNextWrite(100 * S, true, false)).isEqualTo(57 * S);
    }

    @Test
    void theHeartbeatNeverComesSoonerThanTheInterval() {
        ReportSchedule tight = new ReportSchedule(Duration.ofSeconds(5), Duration.ofSeconds(5));
        tight.written(0, 0.099);
        assertThat(tight.untilNextWrite(0, true, false)).isEqualTo(5 * S);
    }

    @Test
    void failedWritesAreRetriedFromTheIntervalDoublingUpToTheHeartbeat() {
        schedule.written(0, 0);
        List<Long> waits = new ArrayList<>();
        long now = 10 * S;
        for (int i = 0; i < 6; i++) {
            schedule.failed(now, false);
            waits.add(schedule.untilNextWrite(now, true, true) / S);
        }
        assertThat(waits).containsExactly(5L, 10L, 20L, 40L, 60L, 60L);

        schedule.written(now, 0);
        assertThat(schedule.failures()).isZero();
        assertThat(schedule.untilNextWrite(now, true, true)).isEqualTo(5 * S);
    }

    @Test
    void anApiThatCannotTakeTheReportIsAskedAgainEveryHeartbeat() {
        schedule.failed(0, true);
        assertThat(schedule.untilNextWrite(S, true, true)).isEqualTo(59 * S);
        assertThat(schedule.untilNextWrite(60 * S, true, true)).isZero();
    }

    @Test
    void jitterIsAtMostATenth() {
        assertThatThrownBy(() -> schedule.written(0, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReportSchedule(Duration.ofSeconds(5), Duration.ofSeconds(4)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
