package dev.weir.lab.probe;

import dev.weir.lab.state.StateStore;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Probe results printed as the Kubernetes netpol e2e truth table ({@code reachability.go}): per port and protocol a
 * title line, a header row of destination pods, one row per source pod, {@code .} reached and {@code X} not,
 * tab separated; and as {@code {"verdicts":[...]}} JSON.
 *
 * <p>TODO(explain): switch to {@code dev.weir.explain.TruthTable} (same format, shared with {@code weir explain}) once
 * it is in the controller module; this printer exists only until then.
 */
public final class ProbeTable {

    private ProbeTable() {
    }

    public static String text(List<ProbeResult> results) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<ProbeResult>> e : byPortProtocol(results).entrySet()) {
            List<ProbeResult> cells = e.getValue();
            Set<String> pods = new LinkedHashSet<>();
            cells.forEach(r -> pods.add(r.from()));
            cells.forEach(r -> pods.add(r.to()));
            Map<String, Boolean> cell = new LinkedHashMap<>();
            cells.forEach(r -> cell.put(r.from() + ">" + r.to(), r.allowed()));
            long reached = cells.stream().filter(ProbeResult::allowed).count();
            sb.append(e.getKey()).append(" (").append(reached).append('/').append(cells.size())
                    .append(" reached)\n");
            sb.append("-\t").append(String.join("\t", pods)).append('\n');
            for (String from : pods) {
                sb.append(from);
                for (String to : pods) {
                    Boolean v = cell.get(from + ">" + to);
                    sb.append('\t').append(v == null ? "?" : v ? "." : "X");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static String json(List<ProbeResult> results) {
        List<Map<String, Object>> verdicts = new ArrayList<>();
        for (ProbeResult r : results) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("from", r.from());
            v.put("to", r.to());
            v.put("port", r.port());
            v.put("protocol", r.protocol().name());
            v.put("verdict", r.allowed() ? "allow" : "deny");
            v.put("reasons", List.of("probe: " + r.detail()));
            verdicts.add(v);
        }
        return StateStore.toJson(Map.of("verdicts", verdicts));
    }

    /** "80/TCP" → results, protocols then ports in first-seen order. */
    static Map<String, List<ProbeResult>> byPortProtocol(List<ProbeResult> results) {
        Map<String, List<ProbeResult>> out = new LinkedHashMap<>();
        for (ProbeResult r : results) {
            out.computeIfAbsent(title(r.port(), r.protocol()), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    static String title(int port, Protocol protocol) {
        return port + "/" + protocol.name();
    }
}
