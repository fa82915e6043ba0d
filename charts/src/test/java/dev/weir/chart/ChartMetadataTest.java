package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartMetadataTest {

    private static Map<?, ?> chartYaml() throws IOException {
        return new KubernetesSerialization().unmarshal(Files.readString(WeirChart.dir().resolve("Chart.yaml")), Map.class);
    }

    private static String releasedProjectVersion() {
        String version = System.getProperty("weir.project.version");
        assertThat(version).as("surefire passes the Maven project version as weir.project.version").isNotBlank();
        return version.replaceFirst("-SNAPSHOT$", "");
    }

    @Test
    void chartVersionIsTheMavenProjectVersionWithoutSnapshot() throws IOException {
        assertThat(chartYaml().get("version")).isEqualTo(releasedProjectVersion());
    }

    @Test
    void appVersionIsTheMavenProjectVersionWithoutSnapshot() throws IOException {
        assertThat(chartYaml().get("appVersion")).isEqualTo(releasedProjectVersion());
    }

    @Test
    void defaultImageIsTheProjectImageAtTheAppVersion() {
        var agent = WeirChart.render().one(DaemonSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(agent.getImage()).isEqualTo("ghcr.io/weir-project/weir:" + releasedProjectVersion());
    }
}
