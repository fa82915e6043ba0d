package dev.weir.status;

import java.util.Objects;
import java.util.Optional;

/** One node as its agent last reported it: the report (if any) and whether it is too old to count. */
public record NodeStatus(String node, Optional<NodeReport> report, Optional<Staleness> staleness) {

    public NodeStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(staleness, "staleness");
        if (report.isEmpty() && staleness.isEmpty()) {
            throw new IllegalArgumentException("node " + node + " has no report and is not stale");
        }
    }

    public boolean stale() {
        return staleness.isPresent();
    }

    /**
     * {@code stale}; {@code failing} (alive, its last syncs failed); {@code starting} (alive, no successful apply yet);
     * else {@code ok}.
     */
    public String state() {
        return stale() ? "stale" : failing() ? "failing" : report.get().lastApplied() == null ? "starting" : "ok";
    }

    /** Alive, and its last syncs failed. */
    public boolean failing() {
        return !stale() && report.get().failing();
    }
}
