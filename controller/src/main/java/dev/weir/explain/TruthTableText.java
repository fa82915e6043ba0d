package dev.weir.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prints a {@link TruthTable} the way the Kubernetes NetworkPolicy e2e tests print theirs: per port and protocol a
 * title line, a header row of destination pods, then one row per source pod; {@code .} allowed, {@code X} denied,
 * {@code ?} not known; tab separated.
 *
 * <pre>
 * Reachability 80/TCP (rows: from, columns: to; . allowed, X denied):
 * -	x/a	x/b
 * x/a	.	X
 * x/b	.	.
 * </pre>
 */
public final class TruthTableText {

    private TruthTableText() {
    }

    /** Every target's matrix, separated by a blank line. */
    public static String render(TruthTable table) {
        List<String> blocks = new ArrayList<>();
        for (PortProtocol t : table.targets()) {
            blocks.add(render(table, t));
        }
        return String.join("\n\n", blocks) + (blocks.isEmpty() ? "" : "\n");
    }

    public static String render(TruthTable table, PortProtocol target) {
        return title(target) + "\n" + matrix(table.pods(), (from, to) -> mark(table.cell(from, to, target)));
    }

    /**
     * One target's matrix with only the rows and columns that have a cell: a Service's table, whose rows are clients
     * and whose columns are endpoints, reads without its empty cross.
     */
    public static String renderPresent(TruthTable table, PortProtocol target) {
        List<String> rows = table.pods().stream()
                .filter(f -> table.pods().stream().anyMatch(t -> table.cell(f, t, target).isPresent())).toList();
        List<String> columns = table.pods().stream()
                .filter(t -> table.pods().stream().anyMatch(f -> table.cell(f, t, target).isPresent())).toList();
        StringBuilder sb = new StringBuilder(title(target)).append("\n-");
        columns.forEach(c -> sb.append('\t').append(c));
        for (String from : rows) {
            sb.append('\n').append(from);
            for (String to : columns) {
                sb.append('\t').append(mark(table.cell(from, to, target)));
            }
        }
        return sb.toString();
    }

    /** The title line of one matrix; the lab's prober prints the same. */
    public static String title(PortProtocol target) {
        return "Reachability " + target + " (rows: from, columns: to; . allowed, X denied):";
    }

    /**
     * The comparison of two tables for one target, like upstream's Compare: {@code .} where they agree, {@code X} where
     * they differ, {@code ?} where either lacks the cell.
     */
    public static String comparison(TruthTable expected, TruthTable actual, PortProtocol target) {
        List<String> pods = expected.pods();
        return "Comparison " + target + " (. same, X different):\n" + matrix(pods, (from, to) -> {
            Optional<TruthTable.Cell> e = expected.cell(from, to, target);
            Optional<TruthTable.Cell> a = actual.cell(from, to, target);
            if (e.isEmpty() || a.isEmpty()) {
                return "?";
            }
            return e.get().allowed() == a.get().allowed() ? "." : "X";
        });
    }

    private interface Marker {
        String mark(String from, String to);
    }

    private static String matrix(List<String> pods, Marker marker) {
        StringBuilder sb = new StringBuilder("-");
        pods.forEach(p -> sb.append('\t').append(p));
        for (String from : pods) {
            sb.append('\n').append(from);
            for (String to : pods) {
                sb.append('\t').append(marker.mark(from, to));
            }
        }
        return sb.toString();
    }

    private static String mark(Optional<TruthTable.Cell> cell) {
        return cell.map(c -> c.allowed() ? "." : "X").orElse("?");
    }
}
