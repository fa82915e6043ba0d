package dev.weir.lab.probe;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import java.util.List;

/**
 * Probe results as explain's {@link TruthTable}, so {@code weir lab probe} prints exactly what {@code weir explain}
 * prints ({@code TruthTableText}, {@code TruthTableJson}) and the two can be diffed. A cell's reason is what the
 * probe saw ("probe: answered by x/b in 3 ms", "probe: timed out (2 attempts)").
 */
public final class ProbeTable {

    private ProbeTable() {
    }

    public static TruthTable of(List<String> pods, List<ProbeResult> results) {
        TruthTable.Builder b = TruthTable.builder(pods);
        results.stream().map(r -> new PortProtocol(r.port(), r.protocol())).distinct().forEach(b::target);
        for (ProbeResult r : results) {
            b.set(r.from(), r.to(), new PortProtocol(r.port(), r.protocol()),
                    new TruthTable.Cell(r.allowed(), List.of("probe: " + r.detail())));
        }
        return b.build();
    }
}
