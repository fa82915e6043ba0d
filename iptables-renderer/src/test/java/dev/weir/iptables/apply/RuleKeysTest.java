package dev.weir.iptables.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.render.IptablesRule;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleKeysTest {

    static Stream<Arguments> placements() {
        return Stream.of(
                Arguments.of(Named.of("comment goes before the jump", "-p tcp -m tcp --dport 80 -j ACCEPT"), "o 1",
                        "-p tcp -m tcp --dport 80 -m comment --comment \"o 1\" -j ACCEPT"),
                Arguments.of(Named.of("and before target options", "-j MARK --set-xmark 0x100000/0x100000"), "o 1",
                        "-m comment --comment \"o 1\" -j MARK --set-xmark 0x100000/0x100000"),
                Arguments.of(Named.of("before a goto", "-d 10.0.0.1/32 -g WEIR-X"), "o 1",
                        "-d 10.0.0.1/32 -m comment --comment \"o 1\" -g WEIR-X"),
                Arguments.of(Named.of("at the end without a target", "-m set --match-set s src"), "o 1",
                        "-m set --match-set s src -m comment --comment \"o 1\""),
                Arguments.of(Named.of("quotes in a comment are escaped", "-j RETURN"), "say \"hi\"",
                        "-m comment --comment \"say \\\"hi\\\"\" -j RETURN"));
    }

    @ParameterizedTest
    @MethodSource("placements")
    void theCommentIsPlacedWhereIptablesSavePrintsIt(String spec, String comment, String expected) {
        assertThat(RuleKeys.withComment(new IptablesRule(spec, comment))).isEqualTo(expected);
    }

    @Test
    void aRuleWithoutACommentGetsAStableHashOfItsSpec() {
        IptablesRule bare = new IptablesRule("-j DROP", null);

        assertThat(RuleKeys.key(bare)).isEqualTo(RuleKeys.key(new IptablesRule("-j DROP", " ")))
                .matches("weir [0-9a-f]{8}").isNotEqualTo(RuleKeys.key(new IptablesRule("-j ACCEPT", null)));
    }

    @Test
    void splittingReadsQuotedAndEscapedComments() {
        assertThat(Tokens.split("-m comment --comment \"a \\\"b\\\" c\" -j X"))
                .containsExactly("-m", "comment", "--comment", "a \"b\" c", "-j", "X");
        assertThat(Tokens.split("--comment \"\" -j X")).containsExactly("--comment", "", "-j", "X");
    }
}
