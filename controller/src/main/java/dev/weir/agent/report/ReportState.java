package dev.weir.agent.report;

import dev.weir.agent.AppliedSync;
import dev.weir.agent.PolicyVersion;
import dev.weir.agent.Rejection;
import dev.weir.crd.report.ApplyFailure;
import dev.weir.crd.report.EnforcedPolicy;
import dev.weir.crd.report.NodePolicyReportStatus;
import dev.weir.crd.report.RejectedPolicy;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the node report says, kept up to date from the outcomes of the agent's syncs, and what its last write said.
 * Whether a new write is worth it ({@link #changedSinceWritten}) depends on what a reader acts on — the policies and
 * their versions, the rejections, whether the agent is failing and why — and not on times or the ruleset hash alone,
 * which ride along with the next write (at the latest the heartbeat): pods coming and going elsewhere change every
 * node's ipsets, so a hash-driven write would make the worst case (one write per node per interval) the steady state.
 * No clock and no I/O: times are given. Owned by the publisher's thread.
 */
final class ReportState {

    /** The report's order: by kind name, then namespace (none first), then name. */
    static final Comparator<ObjectKey> ORDER = Comparator.comparing((ObjectKey k) -> k.kind().apiKind())
            .thenComparing(k -> k.namespace() == null ? "" : k.namespace()).thenComparing(ObjectKey::name);

    /** One enforced policy: its version and when this agent first applied that version. */
    record Enforced(ObjectKey key, PolicyVersion version, Instant since) {
    }

    /** What a reader acts on; two reports with equal substance differ only in times and hash. */
    record Substance(List<Map.Entry<ObjectKey, PolicyVersion>> policies, List<RejectedPolicy> rejected,
            boolean failing, String failure) {
    }

    private final String node;
    private final String agentVersion;
    private final Duration heartbeatInterval;

    private Instant appliedAt;
    private Ruleset ruleset;
    private String rulesetHash;
    private List<Enforced> enforced = List.of();
    private List<RejectedPolicy> rejected = List.of();
    private int rejectedCount;
    private Instant failedAt;
    private String failure;
    private int consecutiveFailures;
    private Substance written;

    ReportState(String node, String agentVersion, Duration heartbeatInterval) {
        this.node = Objects.requireNonNull(node, "node");
        this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
        this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    }

    /** A sync succeeded at {@code at}: the kernel holds {@code applied.ruleset()}. */
    void applied(AppliedSync applied, Instant at) {
        Map<ObjectKey, Enforced> before = new HashMap<>();
        enforced.forEach(e -> before.put(e.key(), e));
        List<Enforced> now = new ArrayList<>();
        for (ObjectKey k : EnforcedPolicies.on(applied.graph(), node)) {
            PolicyVersion v = applied.policyVersions().getOrDefault(k, new PolicyVersion(null, null));
            Enforced was = before.get(k);
            now.add(was != null && was.version().equals(v) ? was : new Enforced(k, v, at));
        }
        now.sort(Comparator.comparing(Enforced::key, ORDER));
        enforced = List.copyOf(now);
        rejectedCount = applied.rejections().size();
        rejected = applied.rejections().values().stream().sorted(Comparator.comparing(Rejection::object, ORDER))
                .limit(NodePolicyReportStatus.MAX_REJECTED).map(ReportState::rejected).toList();
        if (applied.ruleset() != ruleset) {
            ruleset = applied.ruleset();
            rulesetHash = null; // hashed when a report is written, on the publisher's thread
        }
        appliedAt = at;
        consecutiveFailures = 0;
    }

    /** {@code count} syncs failed, the last at {@code at} with {@code error}; the kernel kept what it had. */
    void failed(String error, Instant at, int count) {
        failure = cut(error);
        failedAt = at;
        consecutiveFailures += count;
    }

    /** Whether there is anything to report: this agent has finished a sync, well or not. */
    boolean hasContent() {
        return appliedAt != null || failedAt != null;
    }

    boolean changedSinceWritten() {
        return hasContent() && !substance().equals(written);
    }

    /** The report as of {@code now} (its heartbeat time). */
    NodePolicyReportStatus status(Instant now) {
        if (ruleset != null && rulesetHash == null) {
            rulesetHash = RulesetHash.of(ruleset);
        }
        List<EnforcedPolicy> policies = enforced.stream().limit(NodePolicyReportStatus.MAX_POLICIES)
                .map(e -> new EnforcedPolicy(e.key().kind().apiKind(), e.key().namespace(), e.key().name(),
                        e.version().uid(), e.version().generation(), time(e.since())))
                .toList();
        return new NodePolicyReportStatus(agentVersion, (int) heartbeatInterval.toSeconds(), time(now),
                time(appliedAt), rulesetHash, enforced.size(), policies, rejectedCount, rejected,
                failedAt == null ? null : new ApplyFailure(time(failedAt), failure),
                consecutiveFailures);
    }

    /** The report as of now was written: later changes are measured against it. */
    void written() {
        written = substance();
    }

    private Substance substance() {
        return new Substance(enforced.stream().map(e -> Map.entry(e.key(), e.version())).toList(), rejected,
                consecutiveFailures > 0, consecutiveFailures > 0 ? failure : null);
    }

    private static RejectedPolicy rejected(Rejection r) {
        ObjectKey k = r.object();
        String v = r.version();
        Long generation = v != null && v.startsWith("g") ? Long.valueOf(v.substring(1)) : null;
        return new RejectedPolicy(k.kind().apiKind(), k.namespace(), k.name(), r.uid(), generation, cut(r.message()));
    }

    /** A message as the CRD takes it: at most {@link NodePolicyReportStatus#MAX_MESSAGE} characters. */
    static String cut(String message) {
        if (message == null || message.length() <= NodePolicyReportStatus.MAX_MESSAGE) {
            return message;
        }
        return message.substring(0, NodePolicyReportStatus.MAX_MESSAGE - 1) + "…";
    }

    /** RFC 3339 in UTC to the millisecond: a failure and a success within one second stay in order. */
    static String time(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }
}
