package dev.weir.agent;

import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.graph.CompiledPolicy;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One sync, end to end: take the recorded changes (or, for a full resync, everything in the informer caches), update
 * the cluster state, compile, ask what the node's own network is ({@link LocalNetworkSource}), render for this node,
 * apply, and report. Owned by the single sync thread. A failure is
 * counted and logged and leaves the kernel as the last successful apply left it; the changes it carried stay
 * "unapplied" (for the latency metric) until a later sync applies them.
 */
public final class SyncWorker {

    private static final Logger LOG = LoggerFactory.getLogger(SyncWorker.class);

    private final String node;
    private final PendingChanges pending;
    private final ClusterState state;
    private final Supplier<Collection<Change>> everything;
    private final RulesetRenderer renderer;
    private final Dataplane dataplane;
    private final RejectionReporter reporter;
    private final AgentMetrics metrics;
    private final LongSupplier ticker;
    private final LocalNetworkSource localNetworks;
    private final AppliedRulesetListener appliedListener;

    private final List<Long> unappliedSince = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private Ruleset lastApplied;
    /** The LocalNetwork {@link #lastApplied} was rendered with. */
    private LocalNetwork lastLocal;
    /** Whether the graph changed since the last successful apply (a failed sync leaves it set). */
    private boolean changedSinceApply;
    private long sequence;
    private volatile String lastError;

    public SyncWorker(String node, PendingChanges pending, ClusterState state,
            Supplier<Collection<Change>> everything, RulesetRenderer renderer, Dataplane dataplane,
            RejectionReporter reporter, AgentMetrics metrics, LongSupplier ticker) {
        this(node, pending, state, everything, renderer, dataplane, reporter, metrics, ticker,
                LocalNetworkSource.NONE);
    }

    public SyncWorker(String node, PendingChanges pending, ClusterState state,
            Supplier<Collection<Change>> everything, RulesetRenderer renderer, Dataplane dataplane,
            RejectionReporter reporter, AgentMetrics metrics, LongSupplier ticker, LocalNetworkSource localNetworks) {
        this(node, pending, state, everything, renderer, dataplane, reporter, metrics, ticker, localNetworks,
                AppliedRulesetListener.NONE);
    }

    /** As above; {@code appliedListener} is told after each sync what the node now enforces, or that it failed. */
    public SyncWorker(String node, PendingChanges pending, ClusterState state,
            Supplier<Collection<Change>> everything, RulesetRenderer renderer, Dataplane dataplane,
            RejectionReporter reporter, AgentMetrics metrics, LongSupplier ticker, LocalNetworkSource localNetworks,
            AppliedRulesetListener appliedListener) {
        this.localNetworks = localNetworks;
        this.appliedListener = appliedListener;
        this.node = node;
        this.pending = pending;
        this.state = state;
        state.onGraphChange(renderer::graphChanged);
        this.everything = everything;
        this.renderer = renderer;
        this.dataplane = dataplane;
        this.reporter = reporter;
        this.metrics = metrics;
        this.ticker = ticker;
    }

    /** Runs one sync; returns whether it succeeded. Never throws (an {@link Error} aside). */
    public boolean run(SyncKind requested) {
        long start = ticker.getAsLong();
        String syncId = node + "-" + (++sequence);
        MDC.put(LogKeys.SYNC_ID, syncId);
        try {
            SyncKind kind = requested == SyncKind.DRIFT && lastApplied == null ? SyncKind.FULL : requested;
            if (kind == SyncKind.DRIFT) {
                checkDrift(start);
            } else {
                sync(kind, start);
            }
            lastError = null;
            return true;
        } catch (Exception | AssertionError e) { // AssertionError: a broken invariant in a pure step
            metrics.applyErrors.inc();
            lastError = e.toString();
            LOG.error("sync {} failed after {} ms, keeping the last applied rules and retrying: {}", syncId,
                    millis(ticker.getAsLong() - start), e.toString(), e);
            tellFailed(lastError);
            return false;
        } finally {
            metrics.syncDuration.observe(Unit.nanosToSeconds(ticker.getAsLong() - start));
            MDC.remove(LogKeys.SYNC_ID);
        }
    }

    private void sync(SyncKind kind, long start) throws Exception {
        List<PendingChanges.Entry> drained = pending.drain();
        for (PendingChanges.Entry e : drained) {
            changedSinceApply |= state.apply(e.change());
            unappliedSince.add(e.firstSeenNanos());
        }
        if (kind == SyncKind.FULL) {
            changedSinceApply |= state.replaceAll(everything.get());
        }
        reportRejections();
        long graphStart = ticker.getAsLong();
        PolicyGraph graph = state.graph();
        long localStart = ticker.getAsLong();
        LocalNetwork local = localNetwork(graph, kind == SyncKind.FULL);
        long renderStart = ticker.getAsLong();
        // A batch of changes that left the graph and the node's network as they were (an update of a field weir does
        // not read, a scan that saw an unrelated route) renders the same ruleset: no render, no apply. A FULL sync
        // always renders and applies (it also repairs the kernel).
        boolean unchanged = kind == SyncKind.CHANGES && !changedSinceApply && lastApplied != null
                && local.equals(lastLocal);
        Ruleset desired = unchanged ? lastApplied : renderer.render(graph, node, local);
        long applyStart = ticker.getAsLong();
        boolean skip = kind == SyncKind.CHANGES && desired.equals(lastApplied);
        String summary = "unchanged";
        Dataplane.Revocation revoked = Dataplane.Revocation.NONE;
        if (!skip) {
            logChangedRules(desired);
            tellApplying(graph, desired);
            summary = dataplane.apply(desired).summary();
            metrics.applyDuration.observe(Unit.nanosToSeconds(ticker.getAsLong() - applyStart));
            revoked = revoke(graph);
        }
        long end = ticker.getAsLong();
        lastApplied = desired;
        lastLocal = local;
        changedSinceApply = false;
        metrics.syncs.inc();
        for (long since : unappliedSince) {
            metrics.eventToApply.observe(Unit.nanosToSeconds(end - since));
        }
        unappliedSince.clear();
        tellApplied(new AppliedSync(graph, desired, state.policyVersions(), state.rejections()));
        Counts c = Counts.of(desired);
        metrics.chains.set(c.chains);
        metrics.rules.set(c.rules);
        metrics.ipsetMembers.set(c.members);
        long clusterPolicies = graph.policies().values().stream().filter(CompiledPolicy::isClusterPolicy).count();
        LOG.info("sync {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} {}={} "
                + "{}={} {}={} {}={}",
                LogKeys.KIND, kind.name().toLowerCase(java.util.Locale.ROOT), LogKeys.CHANGES, drained.size(),
                LogKeys.NAMESPACES, graph.namespaces().size(), LogKeys.PODS, graph.endpoints().size(),
                LogKeys.NODES, graph.nodes().size(),
                LogKeys.POLICIES, graph.policies().size() - clusterPolicies, LogKeys.CLUSTER_POLICIES, clusterPolicies,
                LogKeys.REJECTED, state.rejections().size(), LogKeys.BOUND_PODS, local.interfaces().size(),
                LogKeys.CHAINS, c.chains, LogKeys.RULES, c.rules, LogKeys.SETS, c.sets, LogKeys.MEMBERS, c.members,
                LogKeys.APPLIED, !skip, LogKeys.FLOWS_EXAMINED, revoked.examined(),
                LogKeys.FLOWS_REVOKED, revoked.deleted(), LogKeys.GRAPH_MS, millis(localStart - graphStart),
                LogKeys.LOCAL_MS, millis(renderStart - localStart), LogKeys.RENDER_MS, millis(applyStart - renderStart),
                LogKeys.APPLY_MS, millis(end - applyStart),
                LogKeys.TOTAL_MS, millis(end - start));
        LOG.debug("sync {}: {}={}", kind, LogKeys.DATAPLANE, summary);
    }

    /**
     * The node's own network for this render. Its source logs and survives its own failures; should it throw anyway,
     * the sync renders with the LocalNetwork it rendered last rather than not at all.
     */
    private LocalNetwork localNetwork(PolicyGraph graph, boolean full) {
        try {
            return localNetworks.localNetwork(graph, node, full);
        } catch (RuntimeException e) {
            LOG.warn("cannot tell the node's pod interfaces, rendering with the last known: {}", e.toString(), e);
            return lastLocal != null ? lastLocal : LocalNetwork.none();
        }
    }

    /** The listener's failure is not the sync's. */
    private void tellApplying(PolicyGraph graph, Ruleset desired) {
        try {
            appliedListener.applying(graph, desired);
        } catch (RuntimeException e) {
            LOG.warn("could not hand the ruleset being applied to the denied-traffic log: {}", e.toString(), e);
        }
    }

    /** The listener's failure is not the sync's: the rules are in. */
    private void tellApplied(AppliedSync applied) {
        try {
            appliedListener.applied(applied);
        } catch (RuntimeException e) {
            LOG.warn("could not hand the applied ruleset on (denied-traffic log, node report): {}", e.toString(), e);
        }
    }

    private void tellFailed(String error) {
        try {
            appliedListener.failed(error);
        } catch (RuntimeException e) {
            LOG.warn("could not hand the failed sync on (node report): {}", e.toString(), e);
        }
    }

    /**
     * Ends the flows the new rules deny. The rules are in already, so a failure here (no conntrack binary, say) is
     * logged and retried with the next apply rather than failing the sync.
     */
    private Dataplane.Revocation revoke(PolicyGraph graph) {
        try {
            Dataplane.Revocation r = dataplane.revoke(graph, node);
            metrics.flowsExamined.inc(r.examined());
            metrics.flowsRevoked.inc(r.deleted());
            return r;
        } catch (Exception e) {
            LOG.warn("could not revoke the tracked flows the new rules deny; established ones may continue: {}",
                    e.toString());
            return Dataplane.Revocation.NONE;
        }
    }

    private void checkDrift(long start) throws Exception {
        Dataplane.DriftReport report = dataplane.check(lastApplied);
        if (!report.drifted()) {
            LOG.debug("drift check: the kernel matches the last applied ruleset ({} ms)",
                    millis(ticker.getAsLong() - start));
            return;
        }
        LOG.warn("drift check: the kernel differs from the last applied ruleset, re-applying: {}",
                report.differences());
        metrics.driftRepairs.inc();
        long applyStart = ticker.getAsLong();
        dataplane.apply(lastApplied);
        metrics.applyDuration.observe(Unit.nanosToSeconds(ticker.getAsLong() - applyStart));
    }

    /** Reports each rejected policy version once; a failed report is tried again next sync. */
    private void reportRejections() {
        metrics.policiesRejected.set(state.rejections().size());
        for (Rejection r : state.rejections().values()) {
            if (reported.contains(r.reportKey())) {
                continue;
            }
            LOG.warn("{} is rejected and left out; every other policy is still enforced: {}", r.object(), r.message());
            try {
                reporter.report(r);
                reported.add(r.reportKey());
            } catch (Exception e) {
                LOG.warn("could not record a {} event on {}: {}", RejectionReporter.REASON, r.object(), e.toString());
            }
        }
    }

    /** DEBUG: the rules of every chain this apply writes anew. */
    private void logChangedRules(Ruleset desired) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        Map<String, Chain> before = new HashMap<>();
        if (lastApplied != null) {
            for (FamilyRuleset f : List.of(lastApplied.v4(), lastApplied.v6())) {
                f.chains().forEach(ch -> before.put(f.family() + "/" + ch.name(), ch));
            }
        }
        for (FamilyRuleset f : List.of(desired.v4(), desired.v6())) {
            for (Chain ch : f.chains()) {
                if (ch.equals(before.get(f.family() + "/" + ch.name()))) {
                    continue;
                }
                for (IptablesRule r : ch.rules()) {
                    LOG.debug("{} {}", f.family(), RestoreScript.append(ch.name(), r));
                }
            }
        }
    }

    /** The ruleset most recently applied with success, or null before the first. */
    public Ruleset lastApplied() {
        return lastApplied;
    }

    /** Why the last sync failed, or null when it succeeded. */
    public String lastError() {
        return lastError;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private record Counts(int chains, int rules, int sets, long members) {
        static Counts of(Ruleset r) {
            int chains = 0;
            int rules = 0;
            for (FamilyRuleset f : List.of(r.v4(), r.v6())) {
                chains += f.chains().size();
                for (Chain ch : f.chains()) {
                    rules += ch.rules().size();
                }
            }
            long members = 0;
            for (IpSetSpec s : r.sets()) {
                members += s.members().size();
            }
            return new Counts(chains, rules, r.sets().size(), members);
        }
    }
}
