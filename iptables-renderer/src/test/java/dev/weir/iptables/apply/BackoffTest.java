package dev.weir.iptables.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackoffTest {

    private final Backoff backoff = Backoff.standard();

    static Stream<Arguments> delays() {
        return Stream.of(
                Arguments.of(Named.of("no failure, no wait", 0), Duration.ZERO),
                Arguments.of(Named.of("first failure waits the initial delay", 1), Duration.ofSeconds(1)),
                Arguments.of(Named.of("then it doubles", 3), Duration.ofSeconds(4)),
                Arguments.of(Named.of("up to the cap", 7), Duration.ofMinutes(1)),
                Arguments.of(Named.of("and stays there", 1000), Duration.ofMinutes(1)));
    }

    @ParameterizedTest
    @MethodSource("delays")
    void delayGrowsGeometricallyToTheCap(int failures, Duration expected) {
        assertThat(backoff.delay(failures)).isEqualTo(expected);
    }

    @Test
    void jitterKeepsAtLeastHalfTheDelayAndNeverExceedsIt() {
        assertThat(backoff.delay(3, 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(3, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(4))
                .isGreaterThan(Duration.ofMillis(3990));
        assertThatThrownBy(() -> backoff.delay(3, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonsensicalSettingsAreRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
