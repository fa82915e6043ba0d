package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json rejects bad values before anything is rendered, naming the field. */
class ValuesSchemaTest {

    /** file under values/bad/, and what the error must name. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("log-format-xml.yaml", "agent.logFormat"),
                Arguments.of("http-port-not-a-number.yaml", "agent.httpPort"),
                Arguments.of("http-port-out-of-range.yaml", "agent.httpPort"),
                Arguments.of("iptables-backend-unknown.yaml", "agent.iptablesBackend"),
                Arguments.of("mark-mask-not-hex.yaml", "agent.markMask"),
                Arguments.of("conn-mark-two-bits.yaml", "agent.connMark"),
                Arguments.of("log-level-unknown.yaml", "agent.logLevel"),
                Arguments.of("resync-interval-not-a-duration.yaml", "agent.resyncInterval"),
                Arguments.of("min-sync-interval-fraction.yaml", "agent.minSyncInterval"),
                // the agent reads at most 9 digits
                Arguments.of("drift-check-interval-too-long.yaml", "agent.driftCheckInterval"),
                Arguments.of("agent-key-misspelt.yaml", "logformat"),
                Arguments.of("service-monitor-key-misspelt.yaml", "enable"),
                Arguments.of("pull-policy-unknown.yaml", "image.pullPolicy"),
                Arguments.of("cleanup-enabled-not-boolean.yaml", "cleanup.enabled"),
                Arguments.of("revoke-denied-flows-not-boolean.yaml", "agent.revokeDeniedFlows"),
                Arguments.of("anti-spoofing-not-boolean.yaml", "agent.antiSpoofing"),
                Arguments.of("cni-cache-dir-relative.yaml", "agent.cniCacheDir"),
                Arguments.of("unprogrammed-pods-unknown.yaml", "agent.unprogrammedPods"),
                Arguments.of("interface-scan-interval-not-a-duration.yaml", "agent.interfaceScanInterval"),
                Arguments.of("denial-log-enabled-not-boolean.yaml", "agent.denialLog.enabled"),
                Arguments.of("denial-log-group-out-of-range.yaml", "agent.denialLog.group"),
                Arguments.of("denial-log-rate-too-high.yaml", "agent.denialLog.rate"),
                Arguments.of("denial-log-burst-zero.yaml", "agent.denialLog.burst"),
                Arguments.of("denial-log-interval-too-short.yaml", "agent.denialLog.interval"),
                Arguments.of("denial-log-key-misspelt.yaml", "intervall"),
                Arguments.of("report-enabled-not-boolean.yaml", "agent.report.enabled"),
                Arguments.of("report-interval-too-short.yaml", "agent.report.interval"),
                Arguments.of("report-heartbeat-interval-too-long.yaml", "agent.report.heartbeatInterval"),
                Arguments.of("top-level-key-misspelt.yaml", "resoures"),
                Arguments.of("controller-enabled-not-boolean.yaml", "controller.enabled"),
                Arguments.of("controller-replicas-zero.yaml", "controller.replicas"),
                // the Lease stores leaseDurationSeconds
                Arguments.of("controller-lease-duration-not-whole-seconds.yaml", "controller.lease.duration"),
                Arguments.of("controller-lease-key-misspelt.yaml", "namespace"),
                Arguments.of("controller-stale-after-not-a-duration.yaml", "controller.staleAfter"));
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @MethodSource("badValues")
    void badValuesAreRejectedWithAMessageNamingTheField(String file, String field) {
        Path values = WeirChart.valuesFile("bad/" + file);

        assertThatThrownBy(() -> WeirChart.templateWithValues(values))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(field);
    }

    @Test
    void everyBadValuesFileIsInTheTable() throws IOException, URISyntaxException {
        Path dir = WeirChart.valuesFile("bad/log-format-xml.yaml").getParent();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(badValues().map(a -> (String) a.get()[0]).toList());
        }
    }

    @Test
    void theCustomValuesFileIsValid() {
        assertThat(WeirChart.render(WeirChart.valuesFile("custom.yaml")).objects()).isNotEmpty();
    }
}
