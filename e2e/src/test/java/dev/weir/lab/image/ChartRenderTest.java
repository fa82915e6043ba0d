package dev.weir.lab.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the lab reads from {@code helm template} of the chart: the agent container as the chart renders it today. When
 * the chart changes one of these on purpose, the lab's image agents follow it; this test says what they now run with.
 */
class ChartRenderTest {

    static ChartAgentSpec spec;

    @BeforeAll
    static void render() throws Exception {
        spec = ChartRender.agent(Path.of("../charts/weir").toAbsolutePath().normalize());
    }

    @Test
    void theAgentRunsTheImagesEntrypointWithTheChartsArgs() {
        assertThat(spec.command()).isEmpty();
        assertThat(spec.args()).containsExactly("agent");
    }

    @Test
    void onlyNetAdminAndNetRawAsRootWithoutEscalationOnAReadOnlyRoot() {
        assertThat(spec.capabilities()).containsExactly("NET_ADMIN", "NET_RAW");
        assertThat(spec.runAsUser()).isZero();
        assertThat(spec.noNewPrivs()).isTrue();
        assertThat(spec.readOnlyRoot()).isTrue();
        assertThat(spec.hostNetwork()).isTrue();
    }

    @Test
    void mountsTheLockTheModulesATmpAndTheCniCache() {
        assertThat(spec.mounts()).extracting(ChartAgentSpec.Mount::path)
                .containsExactly("/run/xtables.lock", "/lib/modules", "/tmp", "/var/lib/cni/results");
        assertThat(spec.mounts().get(0).source()).isEqualTo(new ChartAgentSpec.HostPath("/run/xtables.lock",
                "FileOrCreate"));
        assertThat(spec.mounts().get(1).readOnly()).isTrue();
        assertThat(spec.mounts().get(2).source()).isEqualTo(new ChartAgentSpec.EmptyDir(64L << 20));
        assertThat(spec.mounts().get(3).readOnly()).isTrue();
    }

    @Test
    void environmentIsTheConfigMapAndTheNodeName() {
        assertThat(spec.nodeNameEnv()).containsExactly("NODE_NAME");
        assertThat(spec.env()).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError")
                .containsEntry("WEIR_IPTABLES_BACKEND", "auto").containsEntry("WEIR_HTTP_PORT", "9099")
                .containsEntry("WEIR_CNI_CACHE_DIR", "/var/lib/cni/results").doesNotContainKey("NODE_NAME");
        assertThat(spec.httpPort()).isEqualTo(9099);
    }

    @Test
    void theContainersLimitsBecomeTheJvmsView() {
        assertThat(spec.memoryLimit()).isEqualTo(1L << 30);
        assertThat(spec.cpuLimit()).isEqualTo(1);
        assertThat(ContainerScript.jvmLimits(spec)).isEqualTo("-XX:MaxRAM=1073741824 -XX:ActiveProcessorCount=1");
    }

    @Test
    void aChartDirectoryWithoutAChartIsRefusedByName() {
        assertThatThrownBy(() -> ChartRender.agent(Path.of("/nonexistent")))
                .hasMessageContaining("no Helm chart at /nonexistent");
    }
}
