package dev.weir.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.AppliedSync;
import dev.weir.agent.Change;
import dev.weir.agent.ClusterState;
import dev.weir.agent.PolicyVersion;
import dev.weir.agent.Rejection;
import dev.weir.crd.report.EnforcedPolicy;
import dev.weir.crd.report.NodePolicyReportStatus;
import dev.weir.crd.report.RejectedPolicy;
import dev.weir.graph.ClusterEvent;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.ObjectKey;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the report says after each sync outcome, and which outcomes are worth a write: the policies with rules on the
 * node and their versions, rejections, failing or not. Over model records and the real renderer; no API, no clock.
 */
class ReportStateTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private final ClusterState cluster = new ClusterState();
    private final ReportState report = new ReportState("n1", "0.1.0", Duration.ofSeconds(60));

    @BeforeEach
    void cluster() {
        upsert(new Namespace("dev", Map.of()));
        upsert(new Namespace("ops", Map.of()));
        upsert(pod("dev", "web-1", "n1", "10.0.1.1", "web"));
        upsert(pod("dev", "db-1", "n2", "10.0.2.1", "db"));
        upsert(pod("ops", "probe-1", "n1", "10.0.1.2", "probe"));
        policy("dev", "web-in", "web", 1);
        policy("dev", "db-in", "db", 1);
        policy("ops", "probe-in", "probe", 4);
        policy("dev", "none-in", "none", 1);
    }

    @Test
    void listsExactlyThePoliciesSelectingThisNodesPodsWithTheirVersionsSorted() {
        report.applied(sync(), T0);

        NodePolicyReportStatus s = report.status(T0.plusSeconds(1));
        assertThat(s.policies()).containsExactly(
                new EnforcedPolicy("NetworkPolicy", "dev", "web-in", "uid-dev-web-in", 1L, "2026-12-07T10:00:00Z"),
                new EnforcedPolicy("NetworkPolicy", "ops", "probe-in", "uid-ops-probe-in", 4L,
                        "2026-12-07T10:00:00Z"));
        assertThat(s.policyCount()).isEqualTo(2);
        assertThat(s.lastAppliedTime()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(s.lastHeartbeatTime()).isEqualTo("2026-12-07T10:00:01Z");
        assertThat(s.heartbeatIntervalSeconds()).isEqualTo(60);
        assertThat(s.agentVersion()).isEqualTo("0.1.0");
        assertThat(s.rulesetHash()).matches("[0-9a-f]{16}");
        assertThat(s.lastFailure()).isNull();
        assertThat(s.consecutiveFailures()).isZero();
        assertThat(report.changedSinceWritten()).isTrue();
    }

    @Test
    void aPolicyKeepsTheTimeItsVersionWasFirstAppliedAndANewGenerationIsWorthAWrite() {
        report.applied(sync(), T0);
        report.written();

        report.applied(sync(), T0.plusSeconds(300)); // a FULL resync: same versions
        assertThat(report.changedSinceWritten()).isFalse();
        assertThat(report.status(T0.plusSeconds(300)).policies()).extracting(EnforcedPolicy::appliedTime)
                .containsOnly("2026-12-07T10:00:00Z");

        policy("dev", "web-in", "web", 2);
        report.applied(sync(), T0.plusMillis(300_250));
        assertThat(report.changedSinceWritten()).isTrue();
        assertThat(report.status(T0.plusSeconds(301)).policies()).extracting(EnforcedPolicy::name,
                EnforcedPolicy::generation, EnforcedPolicy::appliedTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("web-in", 2L, "2026-12-07T10:05:00.250Z"),
                org.assertj.core.groups.Tuple.tuple("probe-in", 4L, "2026-12-07T10:00:00Z"));
    }

    @Test
    void aNewRulesetAloneRidesAlongWithTheNextWrite() {
        cluster.apply(new Change.Event(new ClusterEvent.Upserted(new NetworkPolicy("dev", "web-in",
                LabelSelector.matchLabel("app", "web"), List.of(PolicyType.INGRESS),
                List.of(new Rule(List.of(Peer.Pods.inPolicyNamespace(LabelSelector.matchLabel("app", "db"))),
                        List.of())), List.of())), new PolicyVersion("uid-dev-web-in", 1L)));
        report.applied(sync(), T0);
        String hash = report.status(T0).rulesetHash();
        report.written();

        // another node's pod joins a peer set of n1: n1's ipsets change, none of its policies does
        upsert(pod("dev", "db-2", "n2", "10.0.2.2", "db"));
        report.applied(sync(), T0.plusSeconds(2));

        assertThat(report.changedSinceWritten()).isFalse();
        NodePolicyReportStatus s = report.status(T0.plusSeconds(60));
        assertThat(s.lastAppliedTime()).isEqualTo("2026-12-07T10:00:02Z");
        assertThat(s.rulesetHash()).isNotEqualTo(hash);
    }

    @Test
    void aFailureAndTheRecoveryAreEachWorthAWriteButNotEveryRetry() {
        report.applied(sync(), T0);
        report.written();

        report.failed("java.lang.IllegalStateException: injected apply failure", T0.plusSeconds(1), 1);
        assertThat(report.changedSinceWritten()).isTrue();
        NodePolicyReportStatus failing = report.status(T0.plusSeconds(1));
        assertThat(failing.consecutiveFailures()).isEqualTo(1);
        assertThat(failing.lastFailure().time()).isEqualTo("2026-12-07T10:00:01Z");
        assertThat(failing.lastFailure().message())
                .isEqualTo("java.lang.IllegalStateException: injected apply failure");
        assertThat(failing.lastAppliedTime()).isEqualTo("2026-12-07T10:00:00Z");
        report.written();

        report.failed("java.lang.IllegalStateException: injected apply failure", T0.plusSeconds(3), 2);
        assertThat(report.changedSinceWritten()).as("the same failure again").isFalse();
        assertThat(report.status(T0.plusSeconds(3)).consecutiveFailures()).isEqualTo(3);

        report.applied(sync(), T0.plusSeconds(4));
        assertThat(report.changedSinceWritten()).as("recovered").isTrue();
        NodePolicyReportStatus recovered = report.status(T0.plusSeconds(4));
        assertThat(recovered.consecutiveFailures()).isZero();
        assertThat(recovered.lastFailure().time()).as("still on record").isEqualTo("2026-12-07T10:00:03Z");
    }

    @Test
    void aFailureBeforeTheFirstApplyIsAReportOfItsOwn() {
        assertThat(report.hasContent()).isFalse();
        report.failed("boom", T0, 1);
        assertThat(report.hasContent()).isTrue();
        NodePolicyReportStatus s = report.status(T0);
        assertThat(s.lastAppliedTime()).isNull();
        assertThat(s.rulesetHash()).isNull();
        assertThat(s.policies()).isEmpty();
        assertThat(s.consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void rejectionsAreListedSortedBoundedWithTheirGenerationAndAMessageCutToTheLimit() {
        String longWhy = "x".repeat(5000);
        IntStream.range(0, 25).forEach(i -> {
            ObjectKey k = ObjectKey.networkPolicy("dev", String.format("bad-%02d", 24 - i));
            cluster.apply(new Change.PolicyRejected(new Rejection(k, "u" + i, i % 2 == 0 ? "g" + i : "rv9",
                    List.of(new Diagnostic(k, "spec.ingress[0]", i == 24 ? longWhy : "invalid")))));
        });
        report.applied(sync(), T0);

        NodePolicyReportStatus s = report.status(T0);
        assertThat(s.rejectedCount()).isEqualTo(25);
        assertThat(s.rejected()).hasSize(NodePolicyReportStatus.MAX_REJECTED)
                .extracting(RejectedPolicy::name).startsWith("bad-00", "bad-01").endsWith("bad-19");
        assertThat(s.rejected().get(0).generation()).isEqualTo(24L);
        assertThat(s.rejected().get(1).generation()).as("rv only: no generation").isNull();
        assertThat(s.rejected().get(0).message()).hasSize(NodePolicyReportStatus.MAX_MESSAGE).endsWith("…");
        assertThat(s.rejected().get(2).message()).isEqualTo("spec.ingress[0]: invalid");
    }

    @Test
    void theHashNamesTheContentNotTheInstance() {
        var a = IptablesRenderer.render(cluster.graph(), "n1");
        var b = IptablesRenderer.render(cluster.graph(), "n1");
        assertThat(a).isNotSameAs(b);
        assertThat(RulesetHash.of(a)).isEqualTo(RulesetHash.of(b));
        assertThat(RulesetHash.of(IptablesRenderer.render(cluster.graph(), "n2"))).isNotEqualTo(RulesetHash.of(a));
    }

    private AppliedSync sync() {
        return new AppliedSync(cluster.graph(), IptablesRenderer.render(cluster.graph(), "n1"),
                cluster.policyVersions(), cluster.rejections());
    }

    private void upsert(dev.weir.model.ClusterObject o) {
        cluster.apply(new Change.Event(new ClusterEvent.Upserted(o)));
    }

    /** A NetworkPolicy isolating {@code app=<app>} pods for ingress, at {@code generation}. */
    private void policy(String ns, String name, String app, long generation) {
        cluster.apply(new Change.Event(new ClusterEvent.Upserted(new NetworkPolicy(ns, name,
                LabelSelector.matchLabel("app", app), List.of(PolicyType.INGRESS), List.of(), List.of())),
                new PolicyVersion("uid-" + ns + "-" + name, generation)));
    }

    private static Endpoint pod(String ns, String name, String node, String ip, String app) {
        return new Endpoint(ns, name, Map.of("app", app), List.of(IpAddress.parse(ip)), node, false, PodPhase.RUNNING,
                List.of());
    }
}
