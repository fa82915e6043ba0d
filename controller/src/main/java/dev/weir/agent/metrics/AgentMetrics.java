package dev.weir.agent.metrics;

import java.util.List;

/** Every metric the node agent exports, by name; {@link #text()} is the body of {@code GET /metrics}. */
public final class AgentMetrics {

    public final Histogram syncDuration = new Histogram("weir_sync_duration_seconds",
            "Time of one sync: drain changes, build the graph, render and apply.", Histogram.SECONDS);
    public final Histogram applyDuration = new Histogram("weir_apply_duration_seconds",
            "Time the dataplane took to apply one ruleset.", Histogram.SECONDS);
    public final Histogram eventToApply = new Histogram("weir_event_to_apply_seconds",
            "Time from an informer event arriving to the ruleset including it being applied.", Histogram.SECONDS);
    public final Gauge chains = new Gauge("weir_chains", "Weir chains in the last applied ruleset (both families).");
    public final Gauge rules = new Gauge("weir_rules", "Rules in weir chains of the last applied ruleset.");
    public final Gauge ipsetMembers = new Gauge("weir_ipset_members",
            "Members of all weir ipsets in the last applied ruleset.");
    public final Gauge policiesRejected = new Gauge("weir_policies_rejected",
            "Policies currently left out because they are invalid (see their PolicyRejected events).");
    public final Counter applyErrors = new Counter("weir_apply_errors_total",
            "Syncs that failed (render or apply); each is retried with backoff.");
    public final Counter syncs = new Counter("weir_syncs_total", "Syncs that applied a ruleset successfully.");
    public final Counter driftRepairs = new Counter("weir_drift_repairs_total",
            "Drift checks that found the kernel differing from the last ruleset and re-applied it.");

    private final List<Metric> all = List.of(syncDuration, applyDuration, eventToApply, chains, rules, ipsetMembers,
            policiesRejected, applyErrors, syncs, driftRepairs);

    /** The Prometheus text exposition of every metric. */
    public String text() {
        StringBuilder out = new StringBuilder(4096);
        for (Metric m : all) {
            m.writeTo(out);
        }
        return out.toString();
    }
}
