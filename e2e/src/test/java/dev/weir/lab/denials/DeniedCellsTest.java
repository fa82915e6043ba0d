package dev.weir.lab.denials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.lab.denials.DeniedCells.Finding;
import dev.weir.lab.denials.DeniedCells.Status;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import dev.weir.lab.topology.AddressPlanner;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Probed cells against records: the record of a dropped cell must name explain's decision; of the records that may
 * count the round's packets the latest counts (rulesets replaced while the probes ran, packets counted into a record
 * of an earlier round); allowed cells must have none; a refusal is no drop.
 */
class DeniedCellsTest {

    private static final LabPlan PLAN = AddressPlanner.plan(LabSpec.defaultCluster(2, Topology.FLANNEL,
            Backend.VXLAN), "wl-");
    private static final List<String> PODS = List.of("x/a", "y/a", "z/a");
    private static final PortProtocol TCP80 = PortProtocol.tcp(80);
    private static final Instant START = Instant.parse("2026-12-08T10:15:00.000Z");
    private static final DeniedCells.Window ROUND = new DeniedCells.Window(START, START.plusMillis(900));

    private static final Decision ADMIN_DENY_Y = Decision.clusterPolicyRule(PolicyType.INGRESS,
            Decision.Outcome.DENY, PolicyTier.ADMIN, "deny-y-to-x", new Decision.RuleRef(0, "deny-y"));
    private static final Decision X_DEFAULT_DENY = Decision.defaultDeny(PolicyType.INGRESS,
            List.of(ObjectKey.networkPolicy("x", "deny-all")));

    /** y/a and z/a denied into x/a (y by the Admin rule, z by x's default deny); everything else allowed. */
    private static final TruthTable EXPLAINED = TruthTable.builder(PODS).target(TCP80).fill(TCP80, true)
            .set("y/a", "x/a", TCP80, new TruthTable.Cell(false, List.of("..."),
                    List.of(Decision.notIsolated(PolicyType.EGRESS), ADMIN_DENY_Y)))
            .set("z/a", "x/a", TCP80, new TruthTable.Cell(false, List.of("..."),
                    List.of(Decision.notIsolated(PolicyType.EGRESS), X_DEFAULT_DENY)))
            .build();

    private static ProbeResult denied(String from, String to) {
        return new ProbeResult(from, to, 80, Protocol.TCP, false, "timed out (2 attempts)", 2);
    }

    private static ProbeResult allowed(String from, String to, int attempts) {
        return new ProbeResult(from, to, 80, Protocol.TCP, true, "answered by " + to + " in 1 ms", attempts);
    }

    /** A record of {@code from -> to} 80/TCP dated {@code dated} ms after {@link #START}, read 250 ms later. */
    private static DenialLogTail.Entry record(String from, String to, Decision d, long dated) {
        return record(from, to, d, dated, dated + 250);
    }

    private static DenialLogTail.Entry record(String from, String to, Decision d, long dated, long read) {
        return entry(new DenialRecord(START.plusMillis(dated), PLAN.pod(to).orElseThrow().node(), end(from), end(to), 6,
                80, d, 1), read);
    }

    private static DenialLogTail.Entry entry(DenialRecord r, long read) {
        return new DenialLogTail.Entry(r, "{}", START.plusMillis(read));
    }

    private static DenialRecord.End end(String key) {
        String[] k = key.split("/");
        return new DenialRecord.End(IpAddress.parse(PLAN.pod(key).orElseThrow().ip()),
                Optional.of(ObjectKey.pod(k[0], k[1])));
    }

    private static List<Finding> check(List<ProbeResult> probes, List<DenialLogTail.Entry> records) {
        return DeniedCells.check(PLAN, probes, EXPLAINED, records, ROUND);
    }

    @Test
    void aDroppedCellWhoseRecordNamesExplainsDecisionMatches() {
        List<Finding> f = check(List.of(denied("y/a", "x/a"), denied("z/a", "x/a"), allowed("x/a", "y/a", 1)),
                List.of(record("y/a", "x/a", ADMIN_DENY_Y, 3), record("z/a", "x/a", X_DEFAULT_DENY, 5)));

        assertThat(f).extracting(Finding::status).containsExactly(Status.MATCHES, Status.MATCHES);
        assertThat(DeniedCells.problems(f)).isEmpty();
        assertThat(f.get(0).describe()).isEqualTo("y/a -> x/a 80/TCP: recorded by wl-n1: ingress: denied by "
                + "ClusterNetworkPolicy deny-y-to-x ingress[0] \"deny-y\" (Admin) (1 packet)");
        assertThat(DeniedCells.summary(f)).isEqualTo("2 denied cells: 2 recorded with explain's decision, 0 without a "
                + "record, 0 recorded otherwise, 0 not dropped; 0 allowed cells with a record");
    }

    @Test
    void onlyARecordThatMayCountTheRoundsPacketsCounts() {
        List<Finding> f = check(List.of(denied("y/a", "x/a")), List.of(
                record("y/a", "x/a", ADMIN_DENY_Y, -1500, -300), // written before the round began
                record("y/a", "x/a", ADMIN_DENY_Y, 901), // dated after it ended
                entry(new DenialRecord(START.plusMillis(3), "wl-n1", end("y/a"), end("x/a"), 6, 81, ADMIN_DENY_Y, 1),
                        250), // another port
                entry(new DenialRecord(START.plusMillis(3), "wl-n1", end("y/a"), end("x/a"), 17, 80, ADMIN_DENY_Y, 1),
                        250))); // another protocol

        assertThat(f).extracting(Finding::status).containsExactly(Status.NO_RECORD);
        assertThat(f.get(0).describe()).isEqualTo("y/a -> x/a 80/TCP: NO RECORD; explain: ingress: denied by "
                + "ClusterNetworkPolicy deny-y-to-x ingress[0] \"deny-y\" (Admin)");
        assertThat(f.get(0).nearbyRecords()).startsWith("[2026-12-08T10:14:58.500Z read 2026-12-08T10:14:59.700Z "
                + "wl-n1 1 packet {\"direction\":\"ingress\"");
    }

    @Test
    void aRecordDatedByAnEarlierRoundButWrittenDuringThisOneCounts() {
        // the agent counted this round's packets into the record its previous packet began
        assertThat(check(List.of(denied("y/a", "x/a")), List.of(record("y/a", "x/a", ADMIN_DENY_Y, -700, 300))))
                .extracting(Finding::status).containsExactly(Status.MATCHES);
    }

    @Test
    void aRecordOfAnotherDecisionDiffers() {
        List<Finding> f = check(List.of(denied("y/a", "x/a")), List.of(record("y/a", "x/a", X_DEFAULT_DENY, 3)));

        assertThat(f).extracting(Finding::status).containsExactly(Status.DIFFERS);
        assertThat(f.get(0).describe()).isEqualTo("y/a -> x/a 80/TCP: DIFFERS: recorded by wl-n1: ingress: x/a is "
                + "isolated by x/deny-all and no rule allows it: denied (1 packet); explain: ingress: denied by "
                + "ClusterNetworkPolicy deny-y-to-x ingress[0] \"deny-y\" (Admin)");
    }

    @Test
    void aRecordNamingOtherPodsThanTheLabsDiffers() {
        DenialRecord unnamed = new DenialRecord(START.plusMillis(3), "wl-n1",
                new DenialRecord.End(end("y/a").ip(), Optional.empty()), end("x/a"), 6, 80, ADMIN_DENY_Y, 1);

        List<Finding> f = check(List.of(denied("y/a", "x/a")), List.of(entry(unnamed, 250)));

        assertThat(f).extracting(Finding::status).containsExactly(Status.DIFFERS);
        assertThat(f.get(0).describe()).contains("(the record names " + PLAN.pod("y/a").orElseThrow().ip()
                + " -> x/a)");
    }

    @Test
    void aDroppedCellThatExplainAllowsDiffersAndShowsWhyTheNodeDroppedIt() {
        List<Finding> f = check(List.of(denied("x/a", "y/a")), List.of(record("x/a", "y/a", X_DEFAULT_DENY, 3)));

        assertThat(f).extracting(Finding::status).containsExactly(Status.DIFFERS);
        assertThat(f.get(0).describe()).endsWith("; explain allows the cell");
    }

    @Test
    void theLatestRecordCountsSoAnAttemptDroppedByAReplacedRulesetDoesNot() {
        assertThat(check(List.of(denied("y/a", "x/a")), List.of(record("y/a", "x/a", X_DEFAULT_DENY, 10),
                record("y/a", "x/a", ADMIN_DENY_Y, 410)))).extracting(Finding::status)
                .containsExactly(Status.MATCHES);
        assertThat(check(List.of(denied("y/a", "x/a")), List.of(record("y/a", "x/a", ADMIN_DENY_Y, 10),
                record("y/a", "x/a", X_DEFAULT_DENY, 410)))).extracting(Finding::status)
                .containsExactly(Status.DIFFERS);
    }

    @Test
    void anAllowedCellWithARecordDatedInTheRoundIsFlaggedUnlessItsFirstAttemptFailed() {
        List<DenialLogTail.Entry> records = List.of(record("x/a", "y/a", X_DEFAULT_DENY, 100),
                record("x/a", "z/a", X_DEFAULT_DENY, 100), record("y/a", "z/a", X_DEFAULT_DENY, -500, 100));

        List<Finding> f = check(List.of(allowed("x/a", "y/a", 1), allowed("x/a", "z/a", 2), allowed("y/a", "z/a", 1)),
                records);

        assertThat(f).extracting(Finding::status, x -> x.probe().to())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Status.ALLOWED_WITH_RECORD, "y/a"));
        assertThat(f.get(0).describe()).startsWith("x/a -> y/a 80/TCP: ALLOWED, yet recorded by wl-n2: ingress: "
                + "y/a is isolated by x/deny-all");
    }

    @Test
    void aRefusedProbeWasAnsweredSoNothingDroppedItWhichIsWrongWhereExplainDeniesTheCell() {
        List<Finding> f = check(List.of(new ProbeResult("y/a", "x/a", 80, Protocol.TCP, false,
                "refused (2 attempts)", 2), new ProbeResult("x/a", "y/a", 80, Protocol.TCP, false,
                "refused (2 attempts)", 2)), List.of());

        assertThat(f).extracting(Finding::status).containsExactly(Status.NOT_DROPPED, Status.NOT_DROPPED);
        assertThat(DeniedCells.problems(f)).containsExactly(f.get(0));
        assertThat(f.get(0).describe()).isEqualTo("y/a -> x/a 80/TCP: NOT DROPPED (refused (2 attempts)) though "
                + "explain: ingress: denied by ClusterNetworkPolicy deny-y-to-x ingress[0] \"deny-y\" (Admin)");
        assertThat(f.get(1).describe()).isEqualTo("x/a -> y/a 80/TCP: not dropped (refused (2 attempts)): no record "
                + "expected");
        assertThat(DeniedCells.waitingForNone(f)).isTrue();
    }
}
