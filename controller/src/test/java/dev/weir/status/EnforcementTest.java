package dev.weir.status;

import static dev.weir.status.Reports.DENY;
import static dev.weir.status.Reports.NOW;
import static dev.weir.status.Reports.STALE_AFTER;
import static dev.weir.status.Reports.WEB;
import static dev.weir.status.Reports.policy;
import static dev.weir.status.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnforcementTest {

    private static final List<String> NODES = List.of("b", "a");

    private static PolicyEnforcement web(List<NodeReport> reports) {
        return web(reports, Span.ALL_NODES);
    }

    private static PolicyEnforcement web(List<NodeReport> reports, Span span) {
        return Enforcement.compute(List.of(policy(WEB, "u1", 2)), NODES, reports, span, NOW, STALE_AFTER)
                .policy(WEB).orElseThrow();
    }

    @Test
    void everyNodeAtTheCurrentGenerationEnforces() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u1", 2L)),
                report("b", r -> r.enforces(WEB, "u1", 2L))));

        assertThat(p.enforced()).isEqualTo("2/2");
        assertThat(p.complete()).isTrue();
        assertThat(p.nodes()).containsOnlyKeys("a", "b");
        assertThat(p.nodes().get("a")).isEqualTo(new NodeVerdict.Enforcing(2L, NOW.minusSeconds(30)));
        assertThat(p.lagging()).isEmpty();
        assertThat(p.stale()).isEmpty();
    }

    @Test
    void aNodeAtAnOlderGenerationLagsAndSaysWhichItEnforces() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u1", 2L)),
                report("b", r -> r.enforces(WEB, "u1", 1L))));

        assertThat(p.enforced()).isEqualTo("1/2");
        assertThat(p.lagging()).containsOnlyKeys("b");
        assertThat(p.lagging().get("b").lag()).isEqualTo(new Lag.OlderGeneration(1));
        assertThat(p.lagging().get("b").describe()).isEqualTo("enforces generation 1");
    }

    @Test
    void aFailingNodeLagsWithItsError() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u1", 2L)),
                report("b", r -> r.enforces(WEB, "u1", 1L).failing(3, "iptables-restore: line 7 failed"))));

        assertThat(p.enforced()).isEqualTo("1/2");
        assertThat(p.lagging().get("b").failure()).map(NodeReport.Failure::message)
                .contains("iptables-restore: line 7 failed");
        assertThat(p.lagging().get("b").describe())
                .isEqualTo("enforces generation 1; its syncs fail: iptables-restore: line 7 failed");
    }

    @Test
    void aFailingNodeThatAlreadyHoldsTheCurrentGenerationStillEnforcesIt() {
        // the kernel keeps the rules of the last successful apply, which held this version
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u1", 2L).failing(1, "boom")),
                report("b", r -> r.enforces(WEB, "u1", 2L))));

        assertThat(p.enforced()).isEqualTo("2/2");
    }

    @Test
    void aNodeWithoutAReportIsStaleAndCountedAgainst() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u1", 2L))));

        assertThat(p.enforced()).isEqualTo("1/2");
        assertThat(p.stale()).containsOnlyKeys("b");
        assertThat(p.stale().get("b").staleness()).isEqualTo(new Staleness.NoReport());
        assertThat(p.lagging()).isEmpty();
    }

    @Test
    void aSilentAgentIsStaleEvenIfItsLastReportListedThePolicy() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u1", 2L)),
                report("b", r -> r.enforces(WEB, "u1", 2L).heartbeat(NOW.minusSeconds(300)))));

        assertThat(p.enforced()).isEqualTo("1/2");
        assertThat(p.stale().get("b").staleness())
                .isEqualTo(new Staleness.Silent(NOW.minusSeconds(300), Duration.ofSeconds(300)));
        assertThat(p.stale().get("b").describe()).isEqualTo("stale: last heartbeat 5m ago");
    }

    @Test
    void aHeartbeatExactlyAtTheLimitIsFreshAndOneFromTheFutureToo() {
        PolicyEnforcement p = web(List.of(
                report("a", r -> r.enforces(WEB, "u1", 2L).heartbeat(NOW.minus(STALE_AFTER))),
                report("b", r -> r.enforces(WEB, "u1", 2L).heartbeat(NOW.plusSeconds(4)))));

        assertThat(p.enforced()).isEqualTo("2/2");
    }

    @Test
    void aReportWithoutHeartbeatIsStale() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u1", 2L).heartbeat(null)),
                report("b", r -> r.enforces(WEB, "u1", 2L))));

        assertThat(p.stale()).containsOnlyKeys("a");
        assertThat(p.stale().get("a").staleness()).isEqualTo(new Staleness.NoHeartbeat());
    }

    @Test
    void aNewerGenerationThanTheReaderSawCountsAsEnforcing() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u1", 3L)),
                report("b", r -> r.enforces(WEB, "u1", 2L))));

        assertThat(p.enforced()).isEqualTo("2/2");
    }

    @Test
    void anEarlierObjectOfTheSameNameIsNotThePolicy() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, "u0", 7L)),
                report("b", r -> r.enforces(WEB, "u1", 2L))));

        assertThat(p.enforced()).isEqualTo("1/2");
        assertThat(p.lagging().get("a").lag()).isEqualTo(new Lag.OtherObject("u0"));
    }

    @Test
    void unknownUidsAndGenerationsMatch() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.enforces(WEB, null, null)),
                report("b", r -> r.enforces(WEB, "u1", 2L))));

        assertThat(p.enforced()).isEqualTo("2/2");
    }

    @Test
    void whyANodeDoesNotListThePolicy() {
        PolicyEnforcement p = web(List.of(report("a", r -> r),
                report("b", r -> r.applied(null))));
        assertThat(p.lagging().get("a").lag()).isEqualTo(new Lag.NotListed());
        assertThat(p.lagging().get("b").lag()).isEqualTo(new Lag.NeverApplied());

        PolicyEnforcement cut = web(List.of(report("a", r -> r.enforces(DENY, null, 1L).policyCount(2001)),
                report("b", r -> r.enforces(WEB, "u1", 2L))));
        assertThat(cut.lagging().get("a").lag()).isEqualTo(new Lag.ListCut(1, 2001));
    }

    @Test
    void aRejectedPolicyIsSaidOnceAndEnforcedNowhere() {
        List<NodeReport> reports = List.of(report("a", r -> r.rejects(WEB, "u1", 2, "spec.ingress[0]: bad port")),
                report("b", r -> r.rejects(WEB, "u1", 2, "spec.ingress[0]: bad port")));
        PolicyEnforcement p = web(reports);

        assertThat(p.rejection()).contains("spec.ingress[0]: bad port");
        assertThat(p.enforced()).isEqualTo("0/2");
        assertThat(p.lagging().get("a").lag()).isEqualTo(new Lag.Rejected("spec.ingress[0]: bad port"));
        // a compiled graph has no rejected policy: it spans no node
        assertThat(web(reports, Span.of(Map.of())).enforced()).isEqualTo("0/0");
        assertThat(web(reports, Span.of(Map.of())).rejection()).contains("spec.ingress[0]: bad port");
    }

    @Test
    void aRejectionOfAnOlderGenerationIsHistory() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.rejects(WEB, "u1", 1, "bad").enforces(WEB, "u1", 2L)),
                report("b", r -> r.rejects(WEB, "u1", 1, "bad"))));

        assertThat(p.rejection()).isEmpty();
        assertThat(p.enforced()).isEqualTo("1/2");
        assertThat(p.lagging().get("b").lag()).isEqualTo(new Lag.NotListed());
    }

    @Test
    void aStaleNodesRejectionIsNotTakenAsTheVerdict() {
        PolicyEnforcement p = web(List.of(report("a", r -> r.rejects(WEB, "u1", 2, "bad")
                .heartbeat(NOW.minusSeconds(600))), report("b", r -> r)));

        assertThat(p.rejection()).isEmpty();
    }

    @Test
    void theSpanDecidesWhichNodesShouldEnforce() {
        // the policy selects pods on b only: a, which does not list it, is not lagging, it has nothing to do
        Span span = Span.of(Map.of(WEB, Set.of("b", "gone")));
        PolicyEnforcement p = web(List.of(report("a", r -> r), report("b", r -> r.enforces(WEB, "u1", 2L))), span);

        assertThat(p.enforced()).isEqualTo("1/1");
        assertThat(p.nodes()).containsOnlyKeys("b");
    }

    @Test
    void perNodeStatusAndOrder() {
        Enforcement e = Enforcement.compute(List.of(policy(WEB, "u1", 2), policy(DENY, "u2", 1)), NODES,
                List.of(report("a", r -> r.failing(2, "boom")), report("orphan", r -> r),
                        report("b", r -> r.heartbeat(NOW.minusSeconds(91)).failing(1, "old"))),
                Span.ALL_NODES, NOW, STALE_AFTER);

        assertThat(e.nodes()).extracting(NodeStatus::node).containsExactly("a", "b");
        assertThat(e.nodes().get(0).failing()).isTrue();
        assertThat(e.nodes().get(0).stale()).isFalse();
        assertThat(e.nodes().get(1).stale()).isTrue();
        assertThat(e.nodes().get(1).failing()).as("a stale node's failure is old news").isFalse();
        // kind order: NetworkPolicy before ClusterNetworkPolicy, as ObjectKey sorts
        assertThat(e.policies()).extracting(p -> p.policy().key()).containsExactly(WEB, DENY);
        assertThat(e.policy(DENY).orElseThrow().lagging().get("a").failure()).map(NodeReport.Failure::message)
                .contains("boom");
    }

    @Test
    void noNodesNothingExpected() {
        Enforcement e = Enforcement.compute(List.of(policy(WEB, "u1", 2)), List.of(), List.of(), Span.ALL_NODES,
                NOW, STALE_AFTER);
        assertThat(e.policy(WEB).orElseThrow().enforced()).isEqualTo("0/0");
        assertThat(e.policy(WEB).orElseThrow().rejection()).isEqualTo(Optional.empty());
    }

    @Test
    void contractsAreChecked() {
        assertThatThrownBy(() -> Enforcement.compute(List.of(), NODES, List.of(report("a", r -> r),
                report("a", r -> r)), Span.ALL_NODES, NOW, STALE_AFTER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two reports for node a");
        assertThatThrownBy(() -> Enforcement.compute(List.of(), NODES, List.of(), Span.ALL_NODES, NOW,
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolicyObject(dev.weir.model.ObjectKey.pod("x", "a"), null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void agesReadLikeKubectl() {
        assertThat(Age.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Age.format(Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(Age.format(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(Age.format(Duration.ofHours(52))).isEqualTo("2d4h");
        assertThat(Age.format(Duration.ofSeconds(-3))).isEqualTo("0s");
    }
}
