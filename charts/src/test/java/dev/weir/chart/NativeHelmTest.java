package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The guard around the native library: a hung call fails the test in time and does not hang the ones after it. */
class NativeHelmTest {

    @Test
    void aCallThatDoesNotReturnFailsAfterTheTimeoutAndLaterCallsFailAtOnce() {
        var guard = new NativeHelm(Duration.ofMillis(200));
        var never = new CountDownLatch(1);
        long start = System.nanoTime();

        assertThatThrownBy(() -> guard.run("stuck", () -> {
            never.await();   // stands in for a native call that never returns
            return "unreachable";
        })).isInstanceOf(AssertionError.class).hasMessageContaining("'stuck' did not return within");
        assertThatThrownBy(() -> guard.run("next", () -> "fine"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("blocked since 'stuck'");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        never.countDown();
    }

    @Test
    void resultsAndErrorsOfACallPassThrough() {
        var guard = new NativeHelm(Duration.ofSeconds(5));

        assertThat(guard.run("ok", () -> "rendered")).isEqualTo("rendered");
        assertThatThrownBy(() -> guard.run("bad", () -> {
            throw new IllegalStateException("values don't meet the specifications");
        })).isInstanceOf(IllegalStateException.class).hasMessage("values don't meet the specifications");
    }
}
