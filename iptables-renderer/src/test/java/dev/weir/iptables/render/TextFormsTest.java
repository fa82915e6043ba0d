package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.apply.InstalledFamily;
import dev.weir.iptables.apply.InstalledHook;
import dev.weir.model.IpFamily;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextFormsTest {

    @Test
    void restorePayloadDeclaresEveryChainBeforeAnyRuleAndEndsWithCommit() {
        Chain a = new Chain("WEIR-A", List.of(IptablesRule.of("ns/p", "", "WEIR-B")));
        Chain b = new Chain("WEIR-B", List.of(IptablesRule.of("role", "-p udp", "RETURN")));
        String text = RestoreScript.install(new FamilyRuleset(IpFamily.V4, List.of(new Hook("FORWARD", "WEIR-A")),
                List.of(a, b)));
        assertThat(text).isEqualTo("""
                *filter
                :WEIR-A - [0:0]
                :WEIR-B - [0:0]
                -A WEIR-A -m comment --comment "ns/p %s" -j WEIR-B
                -A WEIR-B -p udp -m comment --comment "role %s" -j RETURN
                -I FORWARD 1 -j WEIR-A
                COMMIT
                """.formatted(Names.ruleHash("-j WEIR-B"), Names.ruleHash("-p udp -j RETURN")));
    }

    @Test
    void emptyFamilyRulesetIsEmptyText() {
        assertThat(RestoreScript.install(new FamilyRuleset(IpFamily.V6, List.of(), List.of()))).isEmpty();
    }

    @Test
    void hooksIntoOneChainAreInsertedInReverseSoTheFirstEndsOnTop() {
        String text = RestoreScript.filter().insert(List.of(new Hook("FORWARD", "WEIR-A"), new Hook("INPUT", "WEIR-C"),
                new Hook("FORWARD", "WEIR-B"))).text();
        assertThat(text).isEqualTo("""
                *filter
                -I FORWARD 1 -j WEIR-B
                -I FORWARD 1 -j WEIR-A
                -I INPUT 1 -j WEIR-C
                COMMIT
                """);
    }

    @Test
    void deletionsComeAfterDeclarationsAndChainsGoLastWhateverTheOrderOfCalls() {
        String text = RestoreScript.filter().delete(List.of("WEIR-OLD"))
                .write(List.of(new Chain("WEIR-NEW", List.of(new IptablesRule("", "ACCEPT", "c 1")))))
                .deleteRule("FORWARD", "-j WEIR-OLD").text();
        assertThat(text).isEqualTo("""
                *filter
                :WEIR-OLD - [0:0]
                :WEIR-NEW - [0:0]
                -D FORWARD -j WEIR-OLD
                -A WEIR-NEW -m comment --comment "c 1" -j ACCEPT
                -X WEIR-OLD
                COMMIT
                """);
    }

    static Stream<Arguments> placements() {
        return Stream.of(
                Arguments.of(Named.of("comment goes before the jump", new IptablesRule("-p tcp -m tcp --dport 80",
                        "ACCEPT", "o 1")), "-A C -p tcp -m tcp --dport 80 -m comment --comment \"o 1\" -j ACCEPT"),
                Arguments.of(Named.of("and before target options", new IptablesRule("", "MARK --set-xmark 0x1/0x1",
                        "o 1")), "-A C -m comment --comment \"o 1\" -j MARK --set-xmark 0x1/0x1"),
                Arguments.of(Named.of("at the end without a target", new IptablesRule("-m set --match-set s src", "",
                        "o 1")), "-A C -m set --match-set s src -m comment --comment \"o 1\""),
                Arguments.of(Named.of("not at all without a comment", new IptablesRule("", "DROP", "")), "-A C -j DROP"),
                Arguments.of(Named.of("quotes in a comment are escaped", new IptablesRule("", "RETURN", "say \"hi\"")),
                        "-A C -m comment --comment \"say \\\"hi\\\"\" -j RETURN"));
    }

    @ParameterizedTest
    @MethodSource("placements")
    void theCommentIsPlacedWhereIptablesSavePrintsIt(IptablesRule rule, String expected) {
        assertThat(RestoreScript.append("C", rule)).isEqualTo(expected);
        assertThat(InstalledFamily.parse("*filter\n" + expected.replace("-A C ", "-A WEIR-C ") + "\n").chains()
                .get("WEIR-C")).as("read back").containsExactly(rule);
    }

    @Test
    void ipsetPayloadCreatesFlushesAndAddsEachSet() {
        IpSetSpec s = new IpSetSpec("weir-b6-0011", IpSetSpec.Type.HASH_NET, IpFamily.V6,
                List.of("2001:db8::/32", "2001:db8:1::/48 nomatch"));
        assertThat(IpsetScript.install(List.of(s))).isEqualTo("""
                create weir-b6-0011 hash:net family inet6 hashsize 1024 maxelem 1048576 -exist
                flush weir-b6-0011
                add weir-b6-0011 2001:db8:1::/48 nomatch
                add weir-b6-0011 2001:db8::/32
                """);
    }

    @Test
    void anInPlaceUpdateDeletesByElementAloneFirstThenAddsEachWithExist() {
        // a member whose nomatch flag changes is deleted and added again; ipset refuses options on del
        assertThat(IpsetScript.restore().update("weir-b4-0011", List.of("10.1.0.0/16", "10.1.2.0/24 nomatch"),
                List.of("10.1.0.0/16 nomatch")).text()).isEqualTo("""
                del weir-b4-0011 10.1.0.0/16 -exist
                del weir-b4-0011 10.1.2.0/24 -exist
                add weir-b4-0011 10.1.0.0/16 nomatch -exist
                """);
    }

    static List<String> renderedChains() {
        return GoldenCases.CASES.keySet().stream().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderedChains")
    void parsingTheRestorePayloadGivesBackTheRenderedRules(String name) {
        Ruleset rs = IptablesRenderer.render(GoldenCases.CASES.get(name).get().graph(), GoldenCases.NODE);
        InstalledFamily saved = InstalledFamily.parse(RestoreScript.install(rs.v4())
                .replace("-I FORWARD 1 ", "-A FORWARD ").replace("-I INPUT 1 ", "-A INPUT ")
                .replace("-I OUTPUT 1 ", "-A OUTPUT "));
        for (Chain c : rs.v4().chains()) {
            assertThat(saved.chains().get(c.name())).containsExactlyElementsOf(c.rules());
        }
        assertThat(rs.v4().hooks()).allMatch(h -> saved.hooks().contains(KernelRoundTripTest.atTop(h)));
    }

    @Test
    void saveParserKeepsWeirChainsAndHookPositionsAndIgnoresOtherTables() {
        String save = """
                # Generated by iptables-save v1.8.9 (nf_tables)
                *nat
                -A POSTROUTING -j WEIR-NOT-FILTER
                COMMIT
                *filter
                :INPUT ACCEPT [0:0]
                :FORWARD DROP [0:0]
                :KUBE-FORWARD - [0:0]
                :WEIR-EMPTY - [0:0]
                :WEIR-FORWARD - [0:0]
                -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
                -A FORWARD -j WEIR-FORWARD
                -A INPUT -j WEIR-INPUT
                -A KUBE-FORWARD -j ACCEPT
                -A WEIR-FORWARD -m mark --mark 0x0/0x400000 -m comment --comment "forward 37d6838a" -j RETURN
                -A WEIR-FORWARD -j ACCEPT
                COMMIT
                """;
        InstalledFamily s = InstalledFamily.parse(save);
        assertThat(s.chains()).containsOnlyKeys("WEIR-EMPTY", "WEIR-FORWARD");
        assertThat(s.chains().get("WEIR-EMPTY")).isEmpty();
        assertThat(s.chains().get("WEIR-FORWARD")).containsExactly(
                new IptablesRule("-m mark --mark 0x0/0x400000", "RETURN", "forward 37d6838a"),
                new IptablesRule("", "ACCEPT", ""));
        assertThat(s.chains().get("WEIR-FORWARD").get(0).hashMatchesSpec()).isTrue();
        assertThat(s.chains().get("WEIR-FORWARD").get(1).hash()).isNull();
        assertThat(s.hooks()).containsExactly(
                new InstalledHook("FORWARD", 1, "WEIR-FORWARD", "-j WEIR-FORWARD"),
                new InstalledHook("INPUT", 0, "WEIR-INPUT", "-j WEIR-INPUT"));
    }

    @Test
    void alteredRuleNoLongerMatchesItsHash() {
        IptablesRule r = IptablesRule.of("ns/p", "-p tcp -m tcp --dport 80", "RETURN");
        assertThat(new IptablesRule("-p tcp -m tcp --dport 81", "RETURN", r.comment()).hashMatchesSpec()).isFalse();
        assertThat(r.hashMatchesSpec()).isTrue();
    }

    @Test
    void ownerLongerThanTheCommentLimitIsCut() {
        IptablesRule r = IptablesRule.of("ns/" + "x".repeat(300), "", "RETURN");
        assertThat(r.comment().length()).isLessThan(256);
        assertThat(r.hash()).isEqualTo(Names.ruleHash("-j RETURN"));
    }
}
