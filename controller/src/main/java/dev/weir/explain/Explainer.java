package dev.weir.explain;

import dev.weir.graph.PolicyGraph;
import dev.weir.graph.Reachability;
import dev.weir.graph.Verdict;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Turns {@link Reachability} verdicts into {@link TruthTable}s and readable explanations. Pure. */
public final class Explainer {

    private Explainer() {
    }

    /** The table over {@link #livePods} of the graph for the given targets. */
    public static TruthTable table(Reachability reachability, List<PortProtocol> targets) {
        return table(reachability, livePods(reachability.graph()), targets);
    }

    /**
     * The pods a table shows, in key order: all but those in phase Succeeded or Failed, which have released their
     * address and can be neither reached nor a source.
     */
    public static List<String> livePods(PolicyGraph graph) {
        return graph.endpoints().values().stream().filter(e -> !e.phase().terminal())
                .map(e -> e.key().namespacedName()).toList();
    }

    /**
     * The table over {@code pods} (keys of the graph's endpoints, in this order) for the given targets; each pair is
     * evaluated in the first IP family both pods have (IPv4 before IPv6).
     */
    public static TruthTable table(Reachability reachability, List<String> pods, List<PortProtocol> targets) {
        return table(reachability, pods, targets, null);
    }

    /**
     * The table for packets of one IP family ({@code null}: the first family both pods have). A pair where either pod
     * has no address of {@code family} gets no cell (printed {@code ?}): no such packet exists.
     */
    public static TruthTable table(Reachability reachability, List<String> pods, List<PortProtocol> targets,
            IpFamily family) {
        return table(reachability, pods, targets, family, true);
    }

    /**
     * The same, with {@code withReasons = false} leaving the cells' reasons and decisions empty: a text table does not
     * print them, and on a large cluster building them costs more than the verdicts.
     */
    public static TruthTable table(Reachability reachability, List<String> pods, List<PortProtocol> targets,
            IpFamily family, boolean withReasons) {
        TruthTable.Builder b = TruthTable.builder(pods);
        PolicyGraph graph = reachability.graph();
        for (PortProtocol t : targets) {
            b.target(t);
            for (String from : pods) {
                Endpoint src = require(graph, from);
                for (String to : pods) {
                    verdict(reachability, src, require(graph, to), t, family).ifPresent(v -> b.set(from, to, t,
                            withReasons ? TruthTable.Cell.of(v) : TruthTable.Cell.of(v.allowed())));
                }
            }
        }
        return b.build();
    }

    /**
     * The one-cell-per-target table of a single pair, where either end may be an address that is no pod's
     * ({@link Reachability#outside}); the table names such an end by its address.
     */
    public static TruthTable pair(Reachability reachability, Endpoint src, Endpoint dst, List<PortProtocol> targets,
            IpFamily family) {
        String from = Reachability.name(src);
        String to = Reachability.name(dst);
        TruthTable.Builder b = TruthTable.builder(new ArrayList<>(new LinkedHashSet<>(List.of(from, to))));
        for (PortProtocol t : targets) {
            b.target(t);
            verdict(reachability, src, dst, t, family)
                    .ifPresent(v -> b.set(from, to, t, TruthTable.Cell.of(v)));
        }
        return b.build();
    }

    /**
     * The verdict in {@code family}, or with {@code null} in the first family both ends have; empty when an end has no
     * address of {@code family}.
     */
    private static Optional<Verdict> verdict(Reachability reachability, Endpoint src, Endpoint dst, PortProtocol t,
            IpFamily family) {
        if (family == null) {
            return Optional.of(reachability.evaluate(src, dst, t.port(), t.protocol()));
        }
        if (src.ip(family).isPresent() && dst.ip(family).isPresent()) {
            return Optional.of(reachability.evaluate(src, dst, t.port(), t.protocol(), family));
        }
        return Optional.empty();
    }

    /** Every (port, protocol) some pod of the graph declares as a container port, in order. */
    public static List<PortProtocol> declaredTargets(PolicyGraph graph) {
        TreeSet<PortProtocol> out = new TreeSet<>();
        for (Endpoint e : graph.endpoints().values()) {
            for (ContainerPort p : e.ports()) {
                out.add(new PortProtocol(p.port(), p.protocol()));
            }
        }
        return new ArrayList<>(out);
    }

    /** One verdict in words: the decision, then one line per side (which policies isolate, which rule allowed). */
    public static String explain(String from, String to, PortProtocol target, Verdict verdict) {
        return explain(from, to, target, TruthTable.Cell.of(verdict));
    }

    /** The same for a table cell. */
    public static String explain(String from, String to, PortProtocol target, TruthTable.Cell cell) {
        StringBuilder sb = new StringBuilder(from + " -> " + to + " " + target + ": "
                + (cell.allowed() ? "allowed" : "denied") + "\n");
        cell.reasons().forEach(r -> sb.append("  ").append(r).append('\n'));
        return sb.toString();
    }

    private static Endpoint require(PolicyGraph graph, String key) {
        Endpoint e = graph.endpoint(key);
        if (e == null) {
            throw new IllegalArgumentException("no pod " + key + " in the cluster");
        }
        return e;
    }
}
