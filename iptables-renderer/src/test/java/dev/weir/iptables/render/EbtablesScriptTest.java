package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EbtablesScriptTest {

    private static IptablesRule rule(String matches, String target) {
        return new IptablesRule(matches, target, "");
    }

    @Test
    void installDeclaresEveryChainWithPolicyReturnThenRulesThenHooksAtTheTop() {
        BridgeRuleset br = new BridgeRuleset(List.of(new Hook("PREROUTING", "WEIR-L2")),
                List.of(new Chain("WEIR-L2", List.of(rule("-i veth1", "WEIR-L2-A"))),
                        new Chain("WEIR-L2-A", List.of(rule("-s ! 02:00:00:00:00:01", "DROP"), rule("", "DROP")))));

        assertThat(EbtablesScript.install(br)).isEqualTo("""
                *nat
                :WEIR-L2 RETURN
                :WEIR-L2-A RETURN
                -A WEIR-L2 -i veth1 -j WEIR-L2-A
                -A WEIR-L2-A -s ! 02:00:00:00:00:01 -j DROP
                -A WEIR-L2-A -j DROP
                -I PREROUTING 1 -j WEIR-L2
                COMMIT
                """);
    }

    @Test
    void hookDeletionsPrecedeRulesAndChainDeletionsComeLastWhateverTheOrderOfCalls() {
        String text = EbtablesScript.nat().delete(List.of("WEIR-L2-OLD"))
                .write(List.of(new Chain("WEIR-L2", List.of(rule("-i veth2", "WEIR-L2-B")))))
                .deleteRule("PREROUTING", "-i eth0 -j WEIR-L2").text();

        assertThat(text).isEqualTo("""
                *nat
                :WEIR-L2-OLD RETURN
                :WEIR-L2 RETURN
                -D PREROUTING -i eth0 -j WEIR-L2
                -A WEIR-L2 -i veth2 -j WEIR-L2-B
                -X WEIR-L2-OLD
                COMMIT
                """);
    }

    @Test
    void anEmptyBridgeRulesetIsEmptyText() {
        assertThat(EbtablesScript.install(BridgeRuleset.EMPTY)).isEmpty();
    }

    @Test
    void bridgeRulesCannotCarryComments() {
        assertThatThrownBy(() -> new BridgeRuleset(List.of(), List.of(new Chain("WEIR-L2",
                List.of(IptablesRule.of("pod:a/b", "-i x", "DROP"))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no comments");
    }
}
