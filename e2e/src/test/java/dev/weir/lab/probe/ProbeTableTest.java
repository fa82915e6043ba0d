package dev.weir.lab.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableText;
import dev.weir.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTableTest {

    private static final List<ProbeResult> RESULTS = List.of(
            new ProbeResult("x/a", "x/a", 80, Protocol.TCP, true, "answered by x/a in 1 ms", 1),
            new ProbeResult("x/a", "y/b", 80, Protocol.TCP, false, "timed out (2 attempts)", 2),
            new ProbeResult("y/b", "x/a", 80, Protocol.TCP, true, "answered by x/a in 2 ms", 1),
            new ProbeResult("y/b", "y/b", 80, Protocol.TCP, true, "answered by y/b in 1 ms", 1),
            new ProbeResult("x/a", "x/a", 53, Protocol.UDP, true, "answered by x/a in 1 ms", 1),
            new ProbeResult("x/a", "y/b", 53, Protocol.UDP, true, "answered by y/b in 1 ms", 1),
            new ProbeResult("y/b", "x/a", 53, Protocol.UDP, false, "port unreachable (2 attempts)", 2),
            new ProbeResult("y/b", "y/b", 53, Protocol.UDP, true, "answered by y/b in 1 ms", 1));

    @Test
    void everyProbeBecomesACellCarryingWhatTheProbeSaw() {
        TruthTable t = ProbeTable.of(List.of("x/a", "y/b"), RESULTS);

        assertThat(t.isComplete()).isTrue();
        assertThat(t.targets()).containsExactlyInAnyOrder(PortProtocol.tcp(80), new PortProtocol(53, Protocol.UDP));
        assertThat(t.cell("x/a", "y/b", PortProtocol.tcp(80))).get()
                .isEqualTo(new TruthTable.Cell(false, List.of("probe: timed out (2 attempts)")));
        assertThat(t.cell("y/b", "x/a", new PortProtocol(53, Protocol.UDP))).get()
                .extracting(TruthTable.Cell::allowed).isEqualTo(false);
    }

    @Test
    void printsTheSameMatrixExplainPrints() {
        String text = TruthTableText.render(ProbeTable.of(List.of("x/a", "y/b"), RESULTS), PortProtocol.tcp(80));

        assertThat(text.lines().skip(1).toList()).containsExactly("-\tx/a\ty/b", "x/a\t.\tX", "y/b\t.\t.");
    }
}
