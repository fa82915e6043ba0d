package dev.weir.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ObjectKey;
import dev.weir.status.Enforcement;
import dev.weir.status.NodeReport;
import dev.weir.status.PolicyEnforcement;
import dev.weir.status.PolicyObject;
import dev.weir.status.Span;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the Enforced condition and the weir.dev/enforced annotation say, from the shared Enforcement. */
class EnforcementSummaryTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration STALE = Duration.ofMinutes(3);
    private static final ObjectKey WEB = ObjectKey.networkPolicy("shop", "web");

    /** A node that wrote {@code ageSeconds} ago and enforces {@code WEB} at {@code generation} (null: not at all). */
    private static NodeReport report(String node, long ageSeconds, Long generation) {
        Map<ObjectKey, NodeReport.Applied> policies = new TreeMap<>();
        if (generation != null) {
            policies.put(WEB, new NodeReport.Applied("u1", generation, NOW.minusSeconds(30)));
        }
        return new NodeReport(node, "0.1.0", NOW.minusSeconds(ageSeconds), Duration.ofSeconds(60),
                NOW.minusSeconds(20), "abc", policies.size(), new TreeMap<>(policies), new TreeMap<>(), null, 0);
    }

    private static PolicyEnforcement enforcement(List<String> nodes, List<NodeReport> reports) {
        Enforcement e = Enforcement.compute(List.of(new PolicyObject(WEB, "u1", 4L)), nodes, reports,
                Span.ALL_NODES, NOW, STALE);
        return e.policy(WEB).orElseThrow();
    }

    @Test
    void everyNodeAtTheCurrentGenerationIsEnforced() {
        EnforcementSummary s = EnforcementSummary.of(enforcement(List.of("n1", "n2", "n3"),
                List.of(report("n1", 5, 4L), report("n2", 5, 4L), report("n3", 5, 5L))), STALE);

        assertThat(s.status()).isEqualTo(EnforcementSummary.Status.Enforced);
        assertThat(s.annotation()).isEqualTo("3/3 nodes, generation 4");
        Condition c = s.condition();
        assertThat(c.getType()).isEqualTo("Enforced");
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("Enforced");
        assertThat(c.getMessage()).isEqualTo("3/3 nodes, generation 4");
        assertThat(c.getObservedGeneration()).isEqualTo(4L);
    }

    @Test
    void laggingAndStaleNodesAreNamedWithTheirReasonInTheConditionAndByNameInTheAnnotation() {
        EnforcementSummary s = EnforcementSummary.of(enforcement(List.of("n1", "n2", "n3", "n4"),
                List.of(report("n1", 5, 4L), report("n2", 5, 3L), report("n3", 600, 4L))), STALE);

        assertThat(s.status()).isEqualTo(EnforcementSummary.Status.Lagging);
        assertThat(s.annotation()).isEqualTo("1/4 nodes, generation 4; lagging: n2; stale: n3, n4");
        assertThat(s.message()).isEqualTo("1/4 nodes, generation 4; lagging: n2 (enforces generation 3); "
                + "stale: n3 (no heartbeat for over 3m), n4 (no report)");
        assertThat(s.condition().getStatus()).isEqualTo("False");
    }

    @Test
    void onlyStaleNodesMissingIsItsOwnReason() {
        EnforcementSummary s = EnforcementSummary.of(enforcement(List.of("n1", "n2"),
                List.of(report("n1", 5, 4L))), STALE);

        assertThat(s.status()).isEqualTo(EnforcementSummary.Status.NodesStale);
        assertThat(s.annotation()).isEqualTo("1/2 nodes, generation 4; stale: n2");
    }

    @Test
    void aStaleNodeReadsTheSameWhileItStaysSilentSoNothingIsRewritten() {
        EnforcementSummary early = EnforcementSummary.of(enforcement(List.of("n1", "n2"),
                List.of(report("n1", 5, 4L), report("n2", 200, 4L))), STALE);
        EnforcementSummary later = EnforcementSummary.of(enforcement(List.of("n1", "n2"),
                List.of(report("n1", 5, 4L), report("n2", 5000, 4L))), STALE);

        assertThat(later).isEqualTo(early);
    }

    @Test
    void atMostTenNodesOfAKindAreNamedTheRestCounted() {
        List<String> nodes = IntStream.rangeClosed(1, 13).mapToObj(i -> String.format("n%02d", i)).toList();
        List<NodeReport> reports = new ArrayList<>();
        nodes.forEach(n -> reports.add(report(n, 5, 3L)));

        EnforcementSummary s = EnforcementSummary.of(enforcement(nodes, reports), STALE);

        assertThat(s.annotation()).isEqualTo("0/13 nodes, generation 4; lagging: n01, n02, n03, n04, n05, n06, n07, "
                + "n08, n09, n10, and 3 more");
    }

    @Test
    void aPolicyNoNodeHasPodsForHasNothingToEnforce() {
        Enforcement e = Enforcement.compute(List.of(new PolicyObject(WEB, "u1", 2L)), List.of("n1"),
                List.of(report("n1", 5, null)), Span.of(Map.of()), NOW, STALE);

        EnforcementSummary s = EnforcementSummary.of(e.policy(WEB).orElseThrow(), STALE);

        assertThat(s.status()).isEqualTo(EnforcementSummary.Status.NothingToEnforce);
        assertThat(s.annotation()).isEqualTo("0/0 nodes, generation 2 (no node runs a pod it selects)");
        assertThat(s.condition().getStatus()).isEqualTo("True");
    }

    @Test
    void aRejectedPolicyIsEnforcedNowhere() {
        EnforcementSummary s = EnforcementSummary.rejected(7L);

        assertThat(s.annotation()).isEqualTo("not enforced, generation 7: rejected as invalid");
        assertThat(s.condition().getStatus()).isEqualTo("False");
        assertThat(s.condition().getReason()).isEqualTo("Rejected");
    }
}
