package dev.weir.agent;

/**
 * Keys of the agent's structured log fields: MDC entries (every line of a sync carries them; the JSON layout emits
 * them as fields) and the {@code key=value} words of the per-sync line. One place, so dashboards and docs agree.
 */
public final class LogKeys {

    /** MDC: the node this agent programs (several agents share one JVM in the lab). */
    public static final String NODE = "node";
    /** MDC: {@code <node>-<n>}, the sync a line belongs to. */
    public static final String SYNC_ID = "syncId";

    public static final String KIND = "kind";
    public static final String CHANGES = "changes";
    public static final String NAMESPACES = "namespaces";
    public static final String PODS = "pods";
    public static final String NODES = "nodes";
    public static final String POLICIES = "policies";
    public static final String CLUSTER_POLICIES = "clusterPolicies";
    public static final String REJECTED = "rejected";
    /** Local pods whose host-side interface the render bound their traffic to (anti-spoofing). */
    public static final String BOUND_PODS = "boundPods";
    public static final String CHAINS = "chains";
    public static final String RULES = "rules";
    public static final String SETS = "sets";
    public static final String MEMBERS = "members";
    public static final String APPLIED = "applied";
    /** Tracked flows examined, and deleted because the new policies deny them, by conntrack revocation. */
    public static final String FLOWS_EXAMINED = "flowsExamined";
    public static final String FLOWS_REVOKED = "flowsRevoked";
    public static final String GRAPH_MS = "graphMs";
    /** Finding the node's pod interfaces (a discovery when pods or the node changed, else nothing). */
    public static final String LOCAL_MS = "localMs";
    public static final String RENDER_MS = "renderMs";
    public static final String APPLY_MS = "applyMs";
    public static final String TOTAL_MS = "totalMs";
    /** DEBUG: what the applier changed (sets created/updated, chains written, hooks inserted). */
    public static final String DATAPLANE = "dataplane";

    private LogKeys() {
    }
}
