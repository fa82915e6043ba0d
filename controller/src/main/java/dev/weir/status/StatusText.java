package dev.weir.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code weir status} for people: one line per policy ({@code enforced on N of M nodes}), under it one line per node
 * that lags or is stale and why; then a table of the nodes with their last heartbeat, last apply and error. Ages are
 * relative to the time given; errors are cut to their first line and {@value #MAX_ERROR} characters (JSON has them
 * whole).
 */
public final class StatusText {

    static final int MAX_ERROR = 120;

    private StatusText() {
    }

    public static String policies(List<PolicyEnforcement> policies) {
        StringBuilder out = new StringBuilder();
        if (policies.isEmpty()) {
            out.append("no policies\n");
        }
        for (PolicyEnforcement p : policies) {
            out.append(p.policy().key()).append(": ");
            String generation = p.policy().generation() == null ? "" : " (generation " + p.policy().generation() + ")";
            if (p.rejection().isPresent()) {
                out.append("rejected, enforced nowhere").append(generation).append(": ")
                        .append(cut(p.rejection().get())).append('\n');
                continue;
            }
            if (p.expected() == 0) {
                out.append("selects no pod on any node, nothing to enforce").append(generation).append('\n');
                continue;
            }
            out.append("enforced on ").append(p.enforcing()).append(" of ").append(p.expected())
                    .append(p.expected() == 1 ? " node" : " nodes").append(generation).append('\n');
            for (Map.Entry<String, NodeVerdict> n : p.nodes().entrySet()) {
                if (!(n.getValue() instanceof NodeVerdict.Enforcing)) {
                    out.append("  ").append(n.getKey()).append(": ").append(verdict(n.getValue())).append('\n');
                }
            }
        }
        return out.toString();
    }

    public static String nodes(List<NodeStatus> nodes, Instant now) {
        if (nodes.isEmpty()) {
            return "no nodes\n";
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NODE", "STATUS", "HEARTBEAT", "LAST APPLY", "POLICIES", "AGENT", "ERROR"));
        for (NodeStatus n : nodes) {
            NodeReport r = n.report().orElse(null);
            rows.add(List.of(n.node(), n.state(), r == null ? "-" : ago(r.heartbeat(), now),
                    r == null ? "-" : ago(r.lastApplied(), now), r == null ? "-" : String.valueOf(r.policyCount()),
                    r == null || r.agentVersion() == null ? "-" : r.agentVersion(), error(n, now)));
        }
        return table(rows);
    }

    private static String verdict(NodeVerdict v) {
        if (v instanceof NodeVerdict.Lagging l) {
            return "lagging, " + l.lag().describe()
                    + l.failure().map(f -> "; its syncs fail: " + cut(f.message())).orElse("");
        } else if (v instanceof NodeVerdict.Stale s) {
            return "stale, " + s.staleness().describe() + " (not counted)";
        } else if (v instanceof NodeVerdict.Enforcing e) {
            return e.describe();
        }
        throw new AssertionError(v);
    }

    private static String error(NodeStatus n, Instant now) {
        if (n.stale()) {
            return n.staleness().get().describe();
        }
        NodeReport r = n.report().get();
        NodeReport.Failure f = r.lastFailure();
        if (r.failing()) {
            return r.consecutiveFailures() + (r.consecutiveFailures() == 1 ? " failed sync" : " failed syncs")
                    + (f == null ? "" : ", last " + ago(f.time(), now) + ": " + cut(f.message()));
        }
        return f == null ? "" : "recovered; last failure " + ago(f.time(), now) + ": " + cut(f.message());
    }

    static String ago(Instant t, Instant now) {
        return t == null ? "-" : Age.format(Duration.between(t, now)) + " ago";
    }

    static String cut(String message) {
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() <= MAX_ERROR ? line : line.substring(0, MAX_ERROR - 3) + "...";
    }

    private static String table(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(i == r.size() - 1 ? r.get(i) : String.format("%-" + (widths[i] + 2) + "s", r.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
