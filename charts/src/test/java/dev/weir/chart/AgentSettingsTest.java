package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The ConfigMap the agent reads through envFrom: the contract's environment variables, one per chart value. */
class AgentSettingsTest {

    /** env variable, its default in the agent contract, the value in values/custom.yaml. */
    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("WEIR_RESYNC_INTERVAL", "5m", "10m"),
                Arguments.of("WEIR_MIN_SYNC_INTERVAL", "500ms", "250ms"),
                Arguments.of("WEIR_DRIFT_CHECK_INTERVAL", "5s", "2m"),
                Arguments.of("WEIR_REVOKE_DENIED_FLOWS", "true", "false"),
                Arguments.of("WEIR_ANTI_SPOOFING", "true", "false"),
                Arguments.of("WEIR_CNI_CACHE_DIR", "/var/lib/cni/results", "/run/containerd/cni/results"),
                Arguments.of("WEIR_UNPROGRAMMED_PODS", "allow", "drop"),
                Arguments.of("WEIR_INTERFACE_SCAN_INTERVAL", "1s", "2s"),
                Arguments.of("WEIR_DENIAL_LOG", "true", "false"),
                Arguments.of("WEIR_DENIAL_LOG_NAMESPACES", "all", "annotated"),
                Arguments.of("WEIR_DENIAL_LOG_GROUP", "1047", "7"),
                Arguments.of("WEIR_DENIAL_LOG_RATE", "100", "20"),
                Arguments.of("WEIR_DENIAL_LOG_BURST", "200", "40"),
                Arguments.of("WEIR_DENIAL_LOG_INTERVAL", "1s", "10s"),
                Arguments.of("WEIR_REPORT", "true", "false"),
                Arguments.of("WEIR_REPORT_INTERVAL", "5s", "10s"),
                Arguments.of("WEIR_REPORT_HEARTBEAT_INTERVAL", "60s", "2m"),
                Arguments.of("WEIR_IPTABLES_BACKEND", "auto", "legacy"),
                Arguments.of("WEIR_MARK_MASK", "0xf00000", "0xf0000000"),
                Arguments.of("WEIR_CONN_MARK", "0x1000000", "0x80000"),
                Arguments.of("WEIR_HTTP_PORT", "9099", "9199"),
                Arguments.of("WEIR_LOG_FORMAT", "text", "json"),
                Arguments.of("WEIR_LOG_LEVEL", "info", "debug"));
    }

    private static Map<String, String> data(Manifests manifests) {
        return manifests.one(ConfigMap.class).getData();
    }

    @ParameterizedTest(name = "{0} defaults to {1}")
    @MethodSource("settings")
    void defaultsAreTheContractDefaults(String env, String contractDefault, String unused) {
        assertThat(data(WeirChart.render())).containsEntry(env, contractDefault);
    }

    @ParameterizedTest(name = "{0} follows the values file: {2}")
    @MethodSource("settings")
    void valuesFileOverridesReachTheConfigMap(String env, String unused, String custom) {
        assertThat(data(WeirChart.render(WeirChart.valuesFile("custom.yaml")))).containsEntry(env, custom);
    }

    @Test
    void setOverridesReachTheConfigMap() {
        var data = data(WeirChart.render(Map.of("agent.logFormat", "json", "agent.httpPort", 9300)));

        assertThat(data).containsEntry("WEIR_LOG_FORMAT", "json").containsEntry("WEIR_HTTP_PORT", "9300");
    }

    @Test
    void holdsNoSettingTheChartDoesNotDocument() {
        var keys = data(WeirChart.render()).keySet();

        assertThat(keys).containsExactlyInAnyOrder("WEIR_RESYNC_INTERVAL", "WEIR_MIN_SYNC_INTERVAL",
                "WEIR_DRIFT_CHECK_INTERVAL", "WEIR_REVOKE_DENIED_FLOWS", "WEIR_ANTI_SPOOFING", "WEIR_CNI_CACHE_DIR",
                "WEIR_UNPROGRAMMED_PODS", "WEIR_INTERFACE_SCAN_INTERVAL", "WEIR_DENIAL_LOG",
                "WEIR_DENIAL_LOG_NAMESPACES", "WEIR_DENIAL_LOG_GROUP",
                "WEIR_DENIAL_LOG_RATE", "WEIR_DENIAL_LOG_BURST", "WEIR_DENIAL_LOG_INTERVAL", "WEIR_REPORT",
                "WEIR_REPORT_INTERVAL", "WEIR_REPORT_HEARTBEAT_INTERVAL", "WEIR_IPTABLES_BACKEND",
                "WEIR_MARK_MASK", "WEIR_CONN_MARK", "WEIR_HTTP_PORT", "WEIR_LOG_FORMAT", "WEIR_LOG_LEVEL",
                "JAVA_TOOL_OPTIONS");
    }

    /** The chart has no file value: records go to stdout, which the node's log collector already reads. */
    @Test
    void neverSetsADenialLogFile() {
        assertThat(data(WeirChart.render(WeirChart.valuesFile("custom.yaml"))))
                .doesNotContainKey("WEIR_DENIAL_LOG_FILE");
    }

    @Test
    void neverSetsTheLabOnlyNetnsOrAKubeconfig() {
        var data = data(WeirChart.render(WeirChart.valuesFile("custom.yaml")));

        assertThat(data).doesNotContainKeys("WEIR_NETNS", "KUBECONFIG", "NODE_NAME");
    }

    /** One value for every node would be wrong on all nodes but one: each agent reads its own Node's pod CIDRs. */
    @Test
    void neverSetsPodCidrsForAllNodes() {
        assertThat(data(WeirChart.render(WeirChart.valuesFile("custom.yaml")))).doesNotContainKey("WEIR_POD_CIDRS");
        assertThat(data(WeirChart.render())).doesNotContainKey("WEIR_POD_CIDRS");
    }

    @Test
    void extraEnvAndJavaOptionsAreAdded() {
        var data = data(WeirChart.render(WeirChart.valuesFile("custom.yaml")));

        assertThat(data).containsEntry("WEIR_EXPERIMENT", "on").containsEntry("JAVA_TOOL_OPTIONS", "-Xmx300m");
    }
}
