package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.cli.Args;
import dev.weir.cli.Main;
import dev.weir.iptables.render.RenderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentConfigTest {

    private static AgentConfig parse(List<String> flags, Map<String, String> env) {
        return AgentConfig.from(Args.parse(flags, AgentConfig.flags(), Set.of()), env);
    }

    @Test
    void defaultsAreTheContractTable() {
        AgentConfig c = parse(List.of("--node", "n1"), Map.of());

        assertThat(c).isEqualTo(new AgentConfig("n1", null, Duration.ofMinutes(5), Duration.ofMillis(500),
                Duration.ofSeconds(60), AgentConfig.Backend.AUTO, RenderOptions.defaults(), 9099,
                AgentConfig.LogFormat.TEXT, "info", null));
        assertThat(c).isEqualTo(AgentConfig.defaults("n1"));
    }

    @Test
    void everySettingComesFromItsEnvironmentVariable() {
        AgentConfig c = parse(List.of(), Map.ofEntries(Map.entry("NODE_NAME", "n2"), Map.entry("KUBECONFIG", "/k"),
                Map.entry("WEIR_RESYNC_INTERVAL", "1h"), Map.entry("WEIR_MIN_SYNC_INTERVAL", "100ms"),
                Map.entry("WEIR_DRIFT_CHECK_INTERVAL", "30s"), Map.entry("WEIR_IPTABLES_BACKEND", "legacy"),
                Map.entry("WEIR_MARK_MASK", "0xf000"), Map.entry("WEIR_HTTP_PORT", "9100"),
                Map.entry("WEIR_LOG_FORMAT", "json"), Map.entry("WEIR_LOG_LEVEL", "DEBUG"),
                Map.entry("WEIR_NETNS", "wl-n2")));

        assertThat(c).isEqualTo(new AgentConfig("n2", Path.of("/k"), Duration.ofHours(1), Duration.ofMillis(100),
                Duration.ofSeconds(30), AgentConfig.Backend.LEGACY, new RenderOptions(0x1000, 0x2000, 0x4000, 0x8000),
                9100, AgentConfig.LogFormat.JSON, "debug", "wl-n2"));
    }

    @Test
    void aFlagWinsOverItsVariable() {
        AgentConfig c = parse(List.of("--node=flag", "--http-port", "0", "--iptables-backend", "nft"),
                Map.of("NODE_NAME", "env", "WEIR_HTTP_PORT", "1234", "WEIR_IPTABLES_BACKEND", "legacy"));

        assertThat(c.node()).isEqualTo("flag");
        assertThat(c.httpPort()).isZero();
        assertThat(c.iptablesBackend()).isEqualTo(AgentConfig.Backend.NFT);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(List.of(), Map.of(), "--node NAME or set NODE_NAME"),
                Arguments.of(List.of("--resync-interval", "5x"), Map.of(), "--resync-interval: \"5x\""),
                Arguments.of(List.of(), Map.of("WEIR_MIN_SYNC_INTERVAL", "fast"), "WEIR_MIN_SYNC_INTERVAL: \"fast\""),
                Arguments.of(List.of("--drift-check-interval", "0s"), Map.of(), "--drift-check-interval: must be"),
                Arguments.of(List.of("--iptables-backend", "ebpf"), Map.of(), "auto, nft, legacy"),
                Arguments.of(List.of(), Map.of("WEIR_HTTP_PORT", "70000"), "WEIR_HTTP_PORT: \"70000\" is not a port"),
                Arguments.of(List.of("--log-format", "xml"), Map.of(), "--log-format: \"xml\" is not one of text, json"),
                Arguments.of(List.of("--log-level", "loud"), Map.of(), "error, warn, info, debug, trace"),
                Arguments.of(List.of(), Map.of("WEIR_MARK_MASK", "0x4000"),
                        "WEIR_MARK_MASK: mark mask 0x4000 must have at least 4 bits set"),
                Arguments.of(List.of("--mark-mask", "high"), Map.of(),
                        "--mark-mask: mark mask \"high\" is not a number"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badValues")
    void aBadValueIsAUsageErrorNamingWhereItCameFrom(List<String> flags, Map<String, String> env, String message) {
        List<String> withNode = new java.util.ArrayList<>(flags);
        Map<String, String> envWithNode = new java.util.HashMap<>(env);
        if (!message.contains("NODE_NAME")) {
            envWithNode.put("NODE_NAME", "n1");
        }
        assertThatThrownBy(() -> parse(withNode, envWithNode)).isInstanceOf(Main.UsageException.class)
                .hasMessageContaining(message);
    }
}
