package dev.weir.explain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cells in which two truth tables disagree on allow/deny (reasons are not compared): what {@code weir lab probe
 * --compare} reports and what the conformance suite asserts to be empty. A cell present in one table only counts as a
 * difference.
 */
public final class TruthTableDiff {

    /** One differing cell; {@code expected}/{@code actual} are empty where that table lacks the cell. */
    public record Difference(String from, String to, PortProtocol target, Optional<TruthTable.Cell> expected,
            Optional<TruthTable.Cell> actual) {

        @Override
        public String toString() {
            return from + " -> " + to + " " + target + ": expected " + word(expected) + ", got " + word(actual);
        }

        private static String word(Optional<TruthTable.Cell> c) {
            return c.map(x -> x.allowed() ? "allow" : "deny").orElse("nothing");
        }
    }

    private TruthTableDiff() {
    }

    /** Differences over the union of both tables' pods and targets, in the order of {@code expected}. */
    public static List<Difference> between(TruthTable expected, TruthTable actual) {
        Set<String> pods = new LinkedHashSet<>(expected.pods());
        pods.addAll(actual.pods());
        Set<PortProtocol> targets = new java.util.TreeSet<>(expected.targets());
        targets.addAll(actual.targets());
        List<Difference> out = new ArrayList<>();
        for (PortProtocol t : targets) {
            for (String from : pods) {
                for (String to : pods) {
                    Optional<TruthTable.Cell> e = expected.cell(from, to, t);
                    Optional<TruthTable.Cell> a = actual.cell(from, to, t);
                    boolean same = e.isPresent() && a.isPresent() ? e.get().allowed() == a.get().allowed()
                            : e.isEmpty() && a.isEmpty();
                    if (!same) {
                        out.add(new Difference(from, to, t, e, a));
                    }
                }
            }
        }
        return out;
    }

    /** One line per difference, or {@code no differences}. */
    public static String render(List<Difference> differences) {
        if (differences.isEmpty()) {
            return "no differences\n";
        }
        StringBuilder sb = new StringBuilder(differences.size() + " cell(s) differ:\n");
        differences.forEach(d -> sb.append("  ").append(d).append('\n'));
        return sb.toString();
    }
}
