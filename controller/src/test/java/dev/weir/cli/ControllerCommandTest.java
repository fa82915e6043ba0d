package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.agent.AgentConfig;
import dev.weir.controller.ControllerConfig;
import dev.weir.controller.LeaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code weir controller}'s flags and environment variables: the table of docs/controller.md. */
class ControllerCommandTest {

    private static final List<String> VARIABLES = List.of("KUBECONFIG", "WEIR_LEASE_NAME", "POD_NAMESPACE",
            "POD_NAME", "WEIR_LEASE_DURATION", "WEIR_LEASE_RENEW_DEADLINE", "WEIR_LEASE_RETRY_PERIOD",
            "WEIR_STALE_AFTER", "WEIR_RESYNC_INTERVAL", "WEIR_HTTP_PORT", "WEIR_LOG_FORMAT", "WEIR_LOG_LEVEL");

    private static ControllerConfig parse(String... flags) {
        assumeTrue(VARIABLES.stream().allMatch(v -> System.getenv(v) == null), "the controller's variables are unset");
        ControllerCommand c = new ControllerCommand();
        Main.configure(new CommandLine(c)).parseArgs(flags);
        return c.config("from-client");
    }

    @Test
    void defaultsAreKubeControllerManagersTimingOnTheClientsNamespace() {
        ControllerConfig c = parse();

        LeaseSettings lease = c.lease();
        assertThat(lease.name()).isEqualTo("weir-controller");
        assertThat(lease.namespace()).isEqualTo("from-client");
        assertThat(lease.identity()).matches(".+_[0-9a-f]{8}");
        assertThat(List.of(lease.duration(), lease.renewDeadline(), lease.retryPeriod()))
                .containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertThat(c).isEqualTo(ControllerConfig.defaults("from-client", lease.identity()));
        assertThat(c.staleAfter()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.httpPort()).isEqualTo(9098);
    }

    @Test
    void everyFlagReachesTheConfig() {
        ControllerConfig c = parse("--kubeconfig", "/k", "--lease-name", "l", "--lease-namespace", "weir",
                "--identity", "pod-1", "--lease-duration", "30s", "--renew-deadline", "20s", "--retry-period", "5s",
                "--stale-after", "2m", "--resync-interval", "1m", "--http-port", "0", "--log-format", "json",
                "--log-level", "debug");

        assertThat(c.kubeconfig()).isEqualTo(Path.of("/k"));
        assertThat(c.lease()).isEqualTo(new LeaseSettings("l", "weir", c.lease().identity(), Duration.ofSeconds(30),
                Duration.ofSeconds(20), Duration.ofSeconds(5)));
        assertThat(c.lease().identity()).startsWith("pod-1_");
        assertThat(c.staleAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.httpPort()).isZero();
        assertThat(c.logFormat()).isEqualTo(AgentConfig.LogFormat.JSON);
        assertThat(c.logLevel()).isEqualTo("debug");
    }

    @Test
    void twoReplicasGivenTheSameNameAreStillTwoCandidates() {
        assertThat(parse("--identity", "same").lease().identity())
                .isNotEqualTo(parse("--identity", "same").lease().identity());
    }

    @Test
    void timingsThatCannotWorkTogetherAreAUsageError() {
        CliRun run = CliRun.weir(new ControllerCommand(), "--lease-duration", "10s", "--renew-deadline", "10s",
                "--kubeconfig", "/nonexistent/kubeconfig");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("weir controller: --lease-duration, --renew-deadline, --retry-period: "
                + "the lease duration (10000 ms) must be longer than the renew deadline (10000 ms)");
    }

    @Test
    void aLeaseDurationOfPartsOfASecondIsAUsageError() {
        CliRun run = CliRun.weir(new ControllerCommand(), "--lease-duration", "1500ms", "--renew-deadline", "1s",
                "--retry-period", "100ms", "--kubeconfig", "/nonexistent/kubeconfig");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("must be a whole number of seconds");
    }

    @Test
    void anUnreadableKubeconfigIsAUsageError() {
        CliRun run = CliRun.weir(new ControllerCommand(), "--kubeconfig", "/nonexistent/kubeconfig");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--kubeconfig/KUBECONFIG: cannot read /nonexistent/kubeconfig");
    }

    @Test
    void helpNamesEveryVariable() {
        CliRun run = CliRun.weir("controller", "--help");

        assertThat(run.exit()).isZero();
        assertThat(VARIABLES).allSatisfy(v -> assertThat(run.out()).contains(v));
        assertThat(run.out()).contains("[WEIR_LEASE_DURATION; 15s]", "[WEIR_STALE_AFTER; 3m]");
    }
}
