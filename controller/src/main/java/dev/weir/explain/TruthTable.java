package dev.weir.explain;

import dev.weir.graph.Decision;
import dev.weir.graph.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Who may reach whom: for each destination {@link PortProtocol}, an n×n matrix over the same ordered pods (rows are
 * "from", columns are "to") of allow/deny cells, each with optional reasons. A cell may be missing (not evaluated, or
 * not probed). The same value comes out of {@code weir explain} (computed) and {@code weir lab probe} (real packets),
 * so the two can be printed alike and diffed ({@link TruthTableDiff}).
 */
public final class TruthTable {

    /**
     * One verdict: allowed or denied, and why, in words ({@code reasons}) and as data ({@code decisions}, one per side
     * in packet order: egress, then ingress); both may be empty, e.g. for a probed packet.
     */
    public record Cell(boolean allowed, List<String> reasons, List<Decision> decisions) {
        public Cell {
            reasons = List.copyOf(reasons);
            decisions = List.copyOf(decisions);
            if (!decisions.isEmpty() && allowed != decisions.stream().allMatch(Decision::allows)) {
                throw new IllegalArgumentException("a cell that is " + (allowed ? "allowed" : "denied")
                        + " cannot have the decisions " + decisions);
            }
        }

        /** A cell without decisions. */
        public Cell(boolean allowed, List<String> reasons) {
            this(allowed, reasons, List.of());
        }

        /** The cell of a computed verdict: its decision, its reasons and the decision of each side. */
        public static Cell of(Verdict verdict) {
            return new Cell(verdict.allowed(), verdict.reasons(), verdict.decisions());
        }

        public static Cell allow() {
            return new Cell(true, List.of());
        }

        public static Cell deny() {
            return new Cell(false, List.of());
        }

        public static Cell of(boolean allowed) {
            return new Cell(allowed, List.of());
        }
    }

    /** A cell with its coordinates, as the JSON form lists them. */
    public record Entry(String from, String to, PortProtocol target, Cell cell) {
    }

    private record Key(String from, String to, PortProtocol target) {
    }

    private final List<String> pods;
    private final List<PortProtocol> targets;
    private final Map<Key, Cell> cells;

    private TruthTable(List<String> pods, List<PortProtocol> targets, Map<Key, Cell> cells) {
        this.pods = List.copyOf(pods);
        this.targets = List.copyOf(new TreeSet<>(targets));
        this.cells = Map.copyOf(cells);
    }

    public static Builder builder(List<String> pods) {
        return new Builder(pods);
    }

    /** Pod keys ({@code ns/name}) in row and column order. */
    public List<String> pods() {
        return pods;
    }

    /** The ports and protocols this table has a matrix for, in order. */
    public List<PortProtocol> targets() {
        return targets;
    }

    public Optional<Cell> cell(String from, String to, PortProtocol target) {
        return Optional.ofNullable(cells.get(new Key(from, to, target)));
    }

    /** Every present cell, ordered by target, then row, then column. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (PortProtocol t : targets) {
            for (String from : pods) {
                for (String to : pods) {
                    Cell c = cells.get(new Key(from, to, t));
                    if (c != null) {
                        out.add(new Entry(from, to, t, c));
                    }
                }
            }
        }
        return out;
    }

    /** True when every pair has a cell for every target. */
    public boolean isComplete() {
        return cells.size() == pods.size() * pods.size() * targets.size();
    }

    /** A builder starting from this table's cells (for expectations derived from another table). */
    public Builder toBuilder() {
        Builder b = new Builder(pods);
        targets.forEach(b::target);
        b.cells.putAll(cells);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TruthTable t && pods.equals(t.pods) && targets.equals(t.targets) && cells.equals(t.cells);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pods, targets, cells);
    }

    @Override
    public String toString() {
        return TruthTableText.render(this);
    }

    /**
     * Builds a table. Cells are set one by one or in the upstream e2e style: start from all-allowed or all-denied for a
     * target, then override whole rows ({@link #allFrom}), whole columns ({@link #allTo}) or single cells.
     */
    public static final class Builder {
        private final List<String> pods;
        private final LinkedHashSet<PortProtocol> targets = new LinkedHashSet<>();
        private final Map<Key, Cell> cells = new HashMap<>();

        private Builder(List<String> pods) {
            if (new LinkedHashSet<>(pods).size() != pods.size()) {
                throw new IllegalArgumentException("pods must be distinct: " + pods);
            }
            this.pods = List.copyOf(pods);
        }

        public Builder target(PortProtocol target) {
            targets.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        public Builder set(String from, String to, PortProtocol target, Cell cell) {
            requirePod(from);
            requirePod(to);
            target(target);
            cells.put(new Key(from, to, target), Objects.requireNonNull(cell, "cell"));
            return this;
        }

        public Builder set(String from, String to, PortProtocol target, boolean allowed) {
            return set(from, to, target, Cell.of(allowed));
        }

        /** Every cell of {@code target} allowed or denied. */
        public Builder fill(PortProtocol target, boolean allowed) {
            for (String from : pods) {
                for (String to : pods) {
                    set(from, to, target, allowed);
                }
            }
            return this;
        }

        /** Every cell of row {@code from} (all destinations). */
        public Builder allFrom(String from, PortProtocol target, boolean allowed) {
            pods.forEach(to -> set(from, to, target, allowed));
            return this;
        }

        /** Every cell of column {@code to} (all sources). */
        public Builder allTo(String to, PortProtocol target, boolean allowed) {
            pods.forEach(from -> set(from, to, target, allowed));
            return this;
        }

        public TruthTable build() {
            return new TruthTable(pods, new ArrayList<>(targets), cells);
        }

        private void requirePod(String key) {
            if (!pods.contains(key)) {
                throw new IllegalArgumentException("pod " + key + " is not in this table " + pods);
            }
        }
    }
}
