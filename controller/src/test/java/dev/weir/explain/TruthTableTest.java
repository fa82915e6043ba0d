package dev.weir.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class TruthTableTest {

    private static final PortProtocol TCP80 = PortProtocol.tcp(80);
    private static final PortProtocol UDP81 = new PortProtocol(81, Protocol.UDP);
    private static final List<String> PODS = List.of("x/a", "x/b", "y/a");

    private static TruthTable sample() {
        return TruthTable.builder(PODS).fill(TCP80, true).allTo("x/a", TCP80, false)
                .set("x/a", "x/a", TCP80, new TruthTable.Cell(true, List.of("loopback")))
                .set("y/a", "x/b", UDP81, false).build();
    }

    @Test
    void textIsTheUpstreamE2eTruthTableFormat() {
        assertThat(TruthTableText.render(sample())).isEqualTo("""
                Reachability 80/TCP (rows: from, columns: to; . allowed, X denied):
                -\tx/a\tx/b\ty/a
                x/a\t.\t.\t.
                x/b\tX\t.\t.
                y/a\tX\t.\t.

                Reachability 81/UDP (rows: from, columns: to; . allowed, X denied):
                -\tx/a\tx/b\ty/a
                x/a\t?\t?\t?
                x/b\t?\t?\t?
                y/a\t?\tX\t?
                """);
    }

    @Test
    void jsonRoundTripKeepsVerdictsReasonsAndOrder() {
        TruthTable t = sample();
        String json = TruthTableJson.write(t, List.of("a note"));
        assertThat(json).contains("\"verdict\" : \"deny\"").contains("\"reasons\" : [ \"loopback\" ]")
                .contains("\"notes\" : [ \"a note\" ]");
        assertThat(TruthTableJson.read(json)).isEqualTo(t);
    }

    @Test
    void jsonRoundTripKeepsEachSidesDecision() {
        List<Decision> decisions = List.of(Decision.notIsolated(PolicyType.EGRESS),
                Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.DENY, PolicyTier.ADMIN, "guard",
                        new Decision.RuleRef(2, "deny-z")));
        TruthTable t = sample().toBuilder().set("x/b", "x/a", TCP80,
                new TruthTable.Cell(false, List.of("egress: ...", "ingress: ..."), decisions)).build();
        String json = TruthTableJson.write(t, List.of());
        assertThat(json).contains("\"decisions\" : [ ]").contains("\"cause\" : \"cluster-policy-rule\"");
        TruthTable read = TruthTableJson.read(json);
        assertThat(read).isEqualTo(t);
        assertThat(read.cell("x/b", "x/a", TCP80).orElseThrow().decisions()).isEqualTo(decisions);
    }

    @Test
    void decisionsThatContradictTheVerdictAreRejected() {
        String json = """
                {"verdicts":[{"from":"x/a","to":"y/b","port":80,"protocol":"TCP","verdict":"allow","decisions":[
                  {"direction":"egress","outcome":"allow","cause":"not-isolated","objects":[]},
                  {"direction":"ingress","outcome":"deny","cause":"default-deny","tier":"NetworkPolicy",
                   "objects":[{"kind":"NetworkPolicy","namespace":"y","name":"deny-all"}]}]}]}
                """;
        assertThatThrownBy(() -> TruthTableJson.read(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowed cannot have the decisions");
    }

    @Test
    void minimalJsonWithOnlyVerdictsIsAccepted() {
        TruthTable t = TruthTableJson.read("""
                {"verdicts":[{"from":"x/a","to":"y/b","port":80,"protocol":"tcp","verdict":"allow"},
                             {"from":"y/b","to":"x/a","port":80,"protocol":"TCP","verdict":"deny","reasons":["r"]}]}
                """);
        assertThat(t.pods()).containsExactly("x/a", "y/b");
        assertThat(t.cell("x/a", "y/b", TCP80)).contains(TruthTable.Cell.allow());
        assertThat(t.cell("y/b", "x/a", TCP80)).contains(new TruthTable.Cell(false, List.of("r")));
        assertThat(t.cell("x/a", "x/a", TCP80)).isEmpty();
    }

    @Test
    void malformedJsonIsRejectedWithTheReason() {
        assertThatThrownBy(() -> TruthTableJson.read("{\"verdicts\":[{\"from\":\"a/b\",\"to\":\"a/c\",\"port\":80,"
                + "\"protocol\":\"TCP\",\"verdict\":\"maybe\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"maybe\"");
        assertThatThrownBy(() -> TruthTableJson.read("[]")).hasMessageContaining("no \"verdicts\"");
    }

    @Test
    void diffListsOnlyCellsThatDisagree() {
        TruthTable expected = TruthTable.builder(PODS).fill(TCP80, true).build();
        TruthTable actual = expected.toBuilder().set("x/b", "y/a", TCP80, false).build();

        List<TruthTableDiff.Difference> d = TruthTableDiff.between(expected, actual);

        assertThat(d).extracting(Object::toString).containsExactly("x/b -> y/a 80/TCP: expected allow, got deny");
        assertThat(TruthTableDiff.between(expected, expected)).isEmpty();
        assertThat(TruthTableText.comparison(expected, actual, TCP80)).endsWith("x/b\t.\t.\tX\ny/a\t.\t.\t.");
    }

    @Test
    void diffIgnoresReasonsButCountsMissingCells() {
        TruthTable withReasons = TruthTable.builder(List.of("x/a")).set("x/a", "x/a", TCP80,
                new TruthTable.Cell(true, List.of("why"))).build();
        TruthTable bare = TruthTable.builder(List.of("x/a")).set("x/a", "x/a", TCP80, true).build();
        TruthTable empty = TruthTable.builder(List.of("x/a")).target(TCP80).build();

        assertThat(TruthTableDiff.between(withReasons, bare)).isEmpty();
        assertThat(TruthTableDiff.between(bare, empty)).extracting(Object::toString)
                .containsExactly("x/a -> x/a 80/TCP: expected allow, got nothing");
    }

    @Test
    void cellsOutsideTheTablesPodsAreAProgrammingError() {
        assertThatThrownBy(() -> TruthTable.builder(PODS).set("z/z", "x/a", TCP80, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("z/z");
    }

    @Test
    void portProtocolParsesAndOrdersByPortThenProtocol() {
        assertThat(PortProtocol.parse("81/udp")).isEqualTo(UDP81);
        assertThat(PortProtocol.parse("80")).isEqualTo(TCP80);
        assertThat(new java.util.TreeSet<>(List.of(UDP81, new PortProtocol(80, Protocol.SCTP), TCP80)))
                .containsExactly(TCP80, new PortProtocol(80, Protocol.SCTP), UDP81);
    }
}
