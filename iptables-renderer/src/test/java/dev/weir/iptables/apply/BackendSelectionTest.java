package dev.weir.iptables.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackendSelectionTest {

    private static final String TWO_RULES = "*filter\n-A INPUT -j A\n-A FORWARD -j B\nCOMMIT\n";
    private static final String ONE_RULE = "*filter\n-A INPUT -j A\nCOMMIT\n";
    private static final String HINT = "*mangle\n:KUBE-IPTABLES-HINT - [0:0]\nCOMMIT\n";

    static Stream<Arguments> nodes() {
        return Stream.of(
                Arguments.of(Named.of("a fresh node defaults to nft", Map.of()), IptablesBackend.NFT),
                Arguments.of(Named.of("more legacy rules means legacy", Map.of("iptables-legacy-save", TWO_RULES,
                        "iptables-nft-save", ONE_RULE)), IptablesBackend.LEGACY),
                Arguments.of(Named.of("more nft rules means nft", Map.of("ip6tables-legacy-save", ONE_RULE,
                        "iptables-nft-save", TWO_RULES)), IptablesBackend.NFT),
                Arguments.of(Named.of("a tie means nft", Map.of("iptables-legacy-save", ONE_RULE,
                        "iptables-nft-save", ONE_RULE)), IptablesBackend.NFT),
                Arguments.of(Named.of("kubelet's hint chain beats rule counts", Map.of("iptables-legacy-save",
                        TWO_RULES + HINT, "iptables-nft-save", TWO_RULES + ONE_RULE)), IptablesBackend.LEGACY));
    }

    @ParameterizedTest
    @MethodSource("nodes")
    void detectionPicksTheBackendInUse(Map<String, String> saves, IptablesBackend expected) {
        RecordingCommandRunner runner = new RecordingCommandRunner()
                .respond(c -> RecordingCommandRunner.result(c, 0, saves.getOrDefault(c.line(), ""), ""));

        BackendSelection selection = BackendSelection.detect(runner);

        assertThat(selection.backend()).isEqualTo(expected);
        assertThat(selection.toString()).startsWith("iptables backend " + expected.word() + " (auto");
    }

    @Test
    void aBackendWhoseToolsFailCountsAsEmpty() {
        RecordingCommandRunner runner = new RecordingCommandRunner().respond(c -> c.line().contains("legacy")
                ? RecordingCommandRunner.result(c, 1, "", "modprobe: can't load ip_tables")
                : RecordingCommandRunner.result(c, 0, ONE_RULE, ""));

        assertThat(BackendSelection.detect(runner).backend()).isEqualTo(IptablesBackend.NFT);
    }

    @Test
    void anOverrideIsTakenAsIsAndSaysSo() {
        RecordingCommandRunner runner = new RecordingCommandRunner();

        BackendSelection s = BackendSelection.of("legacy", runner);

        assertThat(s.backend()).isEqualTo(IptablesBackend.LEGACY);
        assertThat(s).hasToString("iptables backend legacy (forced by configuration)");
        assertThat(runner.calls()).isEmpty();
        assertThatThrownBy(() -> BackendSelection.of("iptables", runner)).hasMessageContaining("nft or legacy");
    }

    @Test
    void commandsAreSpelledPerBackendAndFamily() {
        assertThat(IptablesBackend.LEGACY.restoreNoflush(dev.weir.model.IpFamily.V6))
                .containsExactly("ip6tables-legacy-restore", "--noflush", "--wait");
        assertThat(IptablesBackend.NFT.saveFilter(dev.weir.model.IpFamily.V4))
                .containsExactly("iptables-nft-save", "-t", "filter");
    }
}
