package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sync schedule, with time stepped by hand (milliseconds turned into nanoseconds). */
class PacerTest {

    private final Pacer pacer = new Pacer(Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofSeconds(60));

    private static long ms(long m) {
        return m * 1_000_000L;
    }

    @Test
    void nothingRunsBeforeTheCachesAreSyncedEvenWithChangesPending() {
        assertThat(pacer.plan(ms(0), true, false)).isInstanceOf(Pacer.Wait.class);
        assertThat(pacer.plan(ms(10_000), true, false)).isInstanceOf(Pacer.Wait.class);
    }

    @Test
    void theFirstRunAfterSyncIsFullAndImmediate() {
        assertThat(pacer.plan(ms(0), false, true)).isEqualTo(new Pacer.Run(SyncKind.FULL));
    }

    @Test
    void changesWithinTheMinimumIntervalWaitForItsEnd() {
        pacer.finished(SyncKind.FULL, ms(1000), true);

        assertThat(pacer.plan(ms(1100), true, true)).isEqualTo(new Pacer.Wait(ms(400)));
        assertThat(pacer.plan(ms(1500), true, true)).isEqualTo(new Pacer.Run(SyncKind.CHANGES));
    }

    @Test
    void withNothingPendingItSleepsUntilTheNextDriftCheck() {
        pacer.finished(SyncKind.FULL, ms(0), true);

        assertThat(pacer.plan(ms(10_000), false, true)).isEqualTo(new Pacer.Wait(ms(50_000)));
        assertThat(pacer.plan(ms(60_000), false, true)).isEqualTo(new Pacer.Run(SyncKind.DRIFT));
    }

    @Test
    void aFullResyncIsDueEveryResyncInterval() {
        pacer.finished(SyncKind.FULL, ms(0), true);
        pacer.finished(SyncKind.DRIFT, ms(240_000), true);

        assertThat(pacer.plan(ms(299_999), false, true)).isInstanceOf(Pacer.Wait.class);
        assertThat(pacer.plan(ms(300_000), true, true)).isEqualTo(new Pacer.Run(SyncKind.FULL));
    }

    @Test
    void changeSyncsDoNotPostponeTheDriftCheck() {
        pacer.finished(SyncKind.FULL, ms(0), true);
        pacer.finished(SyncKind.CHANGES, ms(50_000), true);

        assertThat(pacer.plan(ms(60_000), false, true)).isEqualTo(new Pacer.Run(SyncKind.DRIFT));
    }

    @Test
    void aDueDriftCheckRunsBeforePendingChangesWhichFollowOneMinimumIntervalLater() {
        pacer.finished(SyncKind.FULL, ms(0), true);
        for (long t = 500; t < 60_000; t += 500) {
            assertThat(pacer.plan(ms(t), true, true)).isEqualTo(new Pacer.Run(SyncKind.CHANGES));
            pacer.finished(SyncKind.CHANGES, ms(t), true);
        }

        assertThat(pacer.plan(ms(60_000), true, true)).isEqualTo(new Pacer.Run(SyncKind.DRIFT));
        pacer.finished(SyncKind.DRIFT, ms(60_000), true);
        assertThat(pacer.plan(ms(60_500), true, true)).isEqualTo(new Pacer.Run(SyncKind.CHANGES));
        assertThat(pacer.plan(ms(60_500), false, true)).isEqualTo(new Pacer.Wait(ms(59_500)));
    }

    @Test
    void aFailureIsRetriedAsFullAfterABackoffThatDoublesUpToThirtySeconds() {
        pacer.finished(SyncKind.FULL, ms(0), false);
        assertThat(pacer.plan(ms(100), true, true)).isEqualTo(new Pacer.Wait(ms(400)));
        assertThat(pacer.plan(ms(500), true, true)).isEqualTo(new Pacer.Run(SyncKind.FULL));

        pacer.finished(SyncKind.FULL, ms(500), false);
        assertThat(pacer.plan(ms(1000), false, true)).isEqualTo(new Pacer.Wait(ms(500)));

        assertThat(pacer.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(pacer.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(pacer.backoff(20)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aSuccessAfterFailuresReturnsToTheNormalSchedule() {
        pacer.finished(SyncKind.FULL, ms(0), false);
        pacer.finished(SyncKind.FULL, ms(500), true);

        assertThat(pacer.consecutiveFailures()).isZero();
        assertThat(pacer.plan(ms(1000), true, true)).isEqualTo(new Pacer.Run(SyncKind.CHANGES));
    }

    @Test
    void aBurstOfChangesInOneSecondRunsAtMostThreeTimes() {
        pacer.finished(SyncKind.FULL, ms(0), true);
        int runs = 0;
        for (long t = 1; t <= 1000; t++) { // a change every millisecond
            if (pacer.plan(ms(t), true, true) instanceof Pacer.Run r) {
                pacer.finished(r.kind(), ms(t), true);
                runs++;
            }
        }
        assertThat(runs).isEqualTo(2); // at 500 ms and 1000 ms
    }
}
