package dev.weir.agent.denials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.metrics.AgentMetrics;
import dev.weir.explain.DecisionJson;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.PolicyTier;
import dev.weir.iptables.nflog.NflogPacket;
import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.Names;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Namespace;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Logged packets → records, over fake packets, a fixed wall clock and a hand-moved ticker: the JSON line, the
 * aggregation per flow and interval, pods resolved by address, the unmapped paths and the metric series.
 */
class DenialRecorderTest {

    private static final Instant NOW = Instant.parse("2026-12-08T10:15:02.113Z");
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TICK = Duration.ofMillis(250);

    private static final String DENY_WEB = "weir:0a1b2c3d";
    private static final String DENY_METADATA = "weir:5e6f7a8b";
    private static final String SPOOFED = "weir:11111111";
    private static final String UNPROGRAMMED = "weir:22222222";

    private static final Decision WEB_DEFAULT_DENY = Decision.defaultDeny(PolicyType.INGRESS,
            List.of(ObjectKey.networkPolicy("dev", "web-from-db"), ObjectKey.networkPolicy("dev", "deny-all")));
    private static final Decision METADATA_DENY = Decision.clusterPolicyRule(PolicyType.EGRESS,
            Decision.Outcome.DENY, PolicyTier.ADMIN, "deny-cloud-metadata", new Decision.RuleRef(0, "imds"));

    private final AgentMetrics metrics = new AgentMetrics();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final DenialRecorder recorder = recorder(10_000);

    private DenialRecorder recorder(int maxFlows) {
        return new DenialRecorder("n1", INTERVAL, TICK, maxFlows, metrics, nanos::get,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** dev/web 10.0.0.1 and dev/db 10.0.0.2 (pods), prod/host on the node's address (hostNetwork). */
    private static PolicyGraph graph() {
        return PolicyCompiler.compile(new ClusterSnapshot(
                List.of(new Namespace("dev", Map.of("kubernetes.io/metadata.name", "dev")),
                        new Namespace("prod", Map.of("kubernetes.io/metadata.name", "prod"))),
                List.of(pod("dev", "web", "10.0.0.1", false), pod("dev", "db", "10.0.0.2", false),
                        pod("prod", "host", "192.168.1.10", true)),
                List.of()));
    }

    private static Endpoint pod(String ns, String name, String ip, boolean hostNetwork) {
        return new Endpoint(ns, name, Map.of("app", name), List.of(IpAddress.parse(ip)), "n1", hostNetwork,
                PodPhase.RUNNING, List.of());
    }

    /** A ruleset whose NFLOG prefixes ({@code weir:<id>}) stand for {@code byPrefix}'s decisions. */
    static Ruleset ruleset(Map<String, Decision> byPrefix) {
        TreeMap<String, Decision> ids = new TreeMap<>();
        byPrefix.forEach((prefix, d) -> ids.put(prefix.substring(Names.NFLOG_PREFIX.length()), d));
        return new Ruleset("n1", List.of(), new FamilyRuleset(IpFamily.V4, List.of(), List.of()),
                new FamilyRuleset(IpFamily.V6, List.of(), List.of()), BridgeRuleset.EMPTY, ids);
    }

    private void apply(PolicyGraph graph, Map<String, Decision> byPrefix) {
        recorder.applied(graph, ruleset(byPrefix));
    }

    private void applyTheUsualDecisions() {
        apply(graph(), Map.of(DENY_WEB, WEB_DEFAULT_DENY, DENY_METADATA, METADATA_DENY,
                SPOOFED, Decision.spoofedSource(ObjectKey.pod("dev", "db")),
                UNPROGRAMMED, Decision.unprogrammedPod(PolicyType.INGRESS)));
    }

    static NflogPacket tcp(String prefix, String src, String dst, int dport) {
        return packet(prefix, src, dst, 6, 40000, dport, -1);
    }

    static NflogPacket packet(String prefix, String src, String dst, int protocol, int sport, int dport, int icmp) {
        IpAddress s = IpAddress.parse(src);
        return new NflogPacket(1047, prefix, 2, s.family(), s, IpAddress.parse(dst), protocol, sport, dport, icmp,
                icmp >= 0 ? 0 : -1, 3, 4, 0, 0, 0, -1, Optional.empty());
    }

    private List<String> flushAt(long millis) {
        nanos.set(1_000_000_000L + millis * 1_000_000L);
        return recorder.flush().stream().map(DenialRecordJson::write).toList();
    }

    private void at(long millis, NflogPacket p) {
        nanos.set(1_000_000_000L + millis * 1_000_000L);
        assertThat(recorder.accept(p)).isEmpty();
    }

    private double denied(String namespace, String policy, String direction) {
        return metrics.deniedPackets.labelValues(namespace, policy, direction).get();
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDeniedPacketBecomesOneJsonLineNamingBothPodsAndTheDecisionAsExplainWritesIt() {
        applyTheUsualDecisions();

        at(0, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));

        assertThat(flushAt(250)).containsExactly("{\"time\":\"2026-12-08T10:15:02.113Z\",\"node\":\"n1\","
                + "\"src\":{\"ip\":\"10.0.0.2\",\"pod\":\"dev/db\"},\"dst\":{\"ip\":\"10.0.0.1\",\"pod\":\"dev/web\"},"
                + "\"protocol\":\"TCP\",\"port\":80,\"decision\":" + DecisionJson.write(WEB_DEFAULT_DENY)
                + ",\"count\":1}");
        assertThat(DecisionJson.write(WEB_DEFAULT_DENY)).isEqualTo("{\"direction\":\"ingress\","
                + "\"outcome\":\"deny\",\"cause\":\"default-deny\",\"tier\":\"NetworkPolicy\",\"objects\":["
                + "{\"kind\":\"NetworkPolicy\",\"namespace\":\"dev\",\"name\":\"deny-all\"},"
                + "{\"kind\":\"NetworkPolicy\",\"namespace\":\"dev\",\"name\":\"web-from-db\"}],\"rule\":null}");
    }

    @Test
    void aFlowIsWrittenAtTheFirstFlushAfterItsFirstPacketThenOncePerIntervalWithItsCount() {
        applyTheUsualDecisions();

        at(0, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        assertThat(flushAt(250)).singleElement().asString().endsWith("\"count\":1}");
        for (long t = 300; t < 1200; t += 100) {
            at(t, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        }
        assertThat(flushAt(500)).isEmpty();
        assertThat(flushAt(750)).isEmpty();
        assertThat(flushAt(1000)).as("an interval after the first record, not after the first packet").isEmpty();
        assertThat(flushAt(1250)).singleElement().asString().endsWith("\"count\":9}");
        assertThat(flushAt(1500)).isEmpty();
        assertThat(flushAt(2250)).as("nothing new: no record").isEmpty();
    }

    @Test
    void eachPartOfTheFlowKeyMakesItsOwnRecord() {
        applyTheUsualDecisions();

        at(0, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        at(1, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80)); // same flow, another source port does not matter
        at(2, packet(DENY_WEB, "10.0.0.2", "10.0.0.1", 6, 40001, 80, -1));
        at(3, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 443)); // port
        at(4, packet(DENY_WEB, "10.0.0.2", "10.0.0.1", 17, 40000, 80, -1)); // protocol
        at(5, tcp(DENY_WEB, "10.0.0.9", "10.0.0.1", 80)); // source
        at(6, tcp(DENY_METADATA, "10.0.0.2", "10.0.0.1", 80)); // decision

        List<String> lines = flushAt(250);

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).contains("\"port\":80", "\"protocol\":\"TCP\"").endsWith("\"count\":3}");
        assertThat(lines.get(1)).contains("\"port\":443").endsWith("\"count\":1}");
        assertThat(lines.get(2)).contains("\"protocol\":\"UDP\"");
        assertThat(lines.get(3)).contains("\"src\":{\"ip\":\"10.0.0.9\",\"pod\":null}");
        assertThat(lines.get(4)).contains("\"cause\":\"cluster-policy-rule\"");
    }

    @Test
    void aFlowQuietForAnIntervalIsForgottenSoItsNextPacketIsWrittenAtOnce() {
        applyTheUsualDecisions();

        at(0, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        assertThat(flushAt(250)).hasSize(1);
        assertThat(flushAt(1250)).isEmpty();
        at(5000, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        assertThat(flushAt(5250)).singleElement().asString().endsWith("\"count\":1}");
    }

    @Test
    void icmpCarriesItsTypeInPortAndAnUnknownProtocolItsNumberWithoutPort() {
        applyTheUsualDecisions();

        at(0, packet(DENY_WEB, "10.0.0.2", "10.0.0.1", 1, -1, -1, 8));
        at(1, packet(DENY_WEB, "fd00::2", "fd00::1", 58, -1, -1, 128));
        at(2, packet(DENY_WEB, "10.0.0.2", "10.0.0.1", 47, -1, -1, -1));

        assertThat(flushAt(250)).satisfiesExactly(
                l -> assertThat(l).contains("\"protocol\":\"ICMP\",\"port\":8"),
                l -> assertThat(l).contains("\"src\":{\"ip\":\"fd00::2\",\"pod\":null}",
                        "\"protocol\":\"ICMPv6\",\"port\":128"),
                l -> assertThat(l).contains("\"protocol\":\"47\",\"port\":null"));
    }

    @Test
    void addressesResolveThroughTheGraphLastAppliedAndAHostNetworkAddressIsNoPod() {
        applyTheUsualDecisions();
        at(0, tcp(DENY_WEB, "192.168.1.10", "10.0.0.1", 80));
        assertThat(flushAt(250)).singleElement().asString()
                .contains("\"src\":{\"ip\":\"192.168.1.10\",\"pod\":null}");

        PolicyGraph moved = PolicyCompiler.compile(new ClusterSnapshot(
                List.of(new Namespace("dev", Map.of("kubernetes.io/metadata.name", "dev"))),
                List.of(pod("dev", "web-2", "10.0.0.1", false)), List.of()));
        apply(moved, Map.of(DENY_WEB, WEB_DEFAULT_DENY));
        at(300, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        assertThat(flushAt(500)).singleElement().asString().contains("\"src\":{\"ip\":\"10.0.0.2\",\"pod\":null}",
                "\"dst\":{\"ip\":\"10.0.0.1\",\"pod\":\"dev/web-2\"}");
    }

    @Test
    void aPacketTheNewRulesDropBeforeTheSyncEndsIsReadThroughTheRulesetBeingApplied() {
        applyTheUsualDecisions();
        PolicyGraph withNewPod = PolicyCompiler.compile(new ClusterSnapshot(
                List.of(new Namespace("dev", Map.of("kubernetes.io/metadata.name", "dev"))),
                List.of(pod("dev", "web", "10.0.0.1", false), pod("dev", "new", "10.0.0.9", false)), List.of()));
        String denyNew = "weir:33333333";
        Decision newDeny = Decision.defaultDeny(PolicyType.INGRESS, List.of(ObjectKey.networkPolicy("dev", "fresh")));
        Ruleset next = ruleset(Map.of(DENY_WEB, WEB_DEFAULT_DENY, denyNew, newDeny));

        recorder.applying(withNewPod, next); // the kernel has the new rules; the sync goes on (revocation)
        at(0, tcp(denyNew, "10.0.0.9", "10.0.0.1", 80));
        at(1, tcp(DENY_METADATA, "10.0.0.2", "169.254.169.254", 80)); // still the applied ruleset's

        assertThat(flushAt(250)).satisfiesExactly(
                l -> assertThat(l).contains("\"src\":{\"ip\":\"10.0.0.9\",\"pod\":\"dev/new\"}",
                        "\"decision\":" + DecisionJson.write(newDeny)),
                l -> assertThat(l).contains("\"pod\":\"dev/db\"", "\"deny-cloud-metadata\""));
        assertThat(metrics.denialUnmapped.labelValues("unknown-rule").get()).isZero();

        recorder.applied(withNewPod, next);
        at(300, tcp(DENY_METADATA, "10.0.0.2", "169.254.169.254", 443)); // replaced: no longer in the kernel
        at(301, tcp(denyNew, "10.0.0.9", "10.0.0.1", 81));
        assertThat(flushAt(500)).singleElement().asString().contains("\"port\":81");
        assertThat(metrics.denialUnmapped.labelValues("unknown-rule").get()).isEqualTo(1);
    }

    @Test
    void anUnknownWeirPrefixAForeignPrefixAndAPacketBeforeTheFirstApplyAreCountedAndSkipped() {
        at(0, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80)); // nothing applied yet
        applyTheUsualDecisions();
        at(1, tcp("weir:deadbeef", "10.0.0.2", "10.0.0.1", 80)); // a rule of another ruleset
        at(2, tcp("ulogd drop", "10.0.0.2", "10.0.0.1", 80));
        at(3, tcp("", "10.0.0.2", "10.0.0.1", 80));

        assertThat(flushAt(250)).isEmpty();
        assertThat(metrics.denialUnmapped.labelValues("unknown-rule").get()).isEqualTo(2);
        assertThat(metrics.denialUnmapped.labelValues("not-weir").get()).isEqualTo(2);
        assertThat(metrics.deniedPackets.collect().getDataPoints()).isEmpty();
    }

    @Test
    void aPacketThatCannotBecomeARecordIsCountedAndNothingIsThrown() {
        DenialRecorder broken = new DenialRecorder("n1", INTERVAL, TICK, 10, metrics, nanos::get, new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        throw new IllegalStateException("a clock that fails");
                    }
                });
        broken.applied(graph(), ruleset(Map.of(DENY_WEB, WEB_DEFAULT_DENY)));

        assertThat(broken.accept(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80))).isEmpty();
        assertThat(broken.accept(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80))).isEmpty();

        assertThat(metrics.denialUnmapped.labelValues("error").get()).isEqualTo(2);
    }

    @Test
    void aFullFlowTableHandsBackEveryPendingRecordAtOnce() {
        DenialRecorder small = recorder(2);
        small.applied(graph(), ruleset(Map.of(DENY_WEB, WEB_DEFAULT_DENY)));

        assertThat(small.accept(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80))).isEmpty();
        assertThat(small.accept(tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80))).isEmpty();
        assertThat(small.accept(tcp(DENY_WEB, "10.0.0.3", "10.0.0.1", 80))).isEmpty();
        List<DenialRecord> out = small.accept(tcp(DENY_WEB, "10.0.0.4", "10.0.0.1", 80));

        assertThat(out).extracting(DenialRecord::count).containsExactly(2L, 1L);
        assertThat(small.flush()).singleElement().extracting(rec -> rec.source().ip().toString())
                .isEqualTo("10.0.0.4");
    }

    @Test
    void deniedPacketsAreCountedByProtectedNamespacePolicyAndDirection() {
        applyTheUsualDecisions();

        at(0, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        at(1, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        at(2, tcp(DENY_METADATA, "10.0.0.1", "169.254.169.254", 80));
        at(3, tcp(SPOOFED, "10.0.0.1", "10.0.0.9", 80)); // dev/db sending with dev/web's address
        at(4, tcp(UNPROGRAMMED, "10.0.0.2", "10.0.0.77", 80));

        assertThat(denied("dev", "dev/deny-all,dev/web-from-db", "ingress")).as("every isolating policy, one series")
                .isEqualTo(2);
        assertThat(denied("dev", "ClusterNetworkPolicy/deny-cloud-metadata", "egress")).isEqualTo(1);
        assertThat(denied("dev", "spoofed-source", "egress")).isEqualTo(1);
        assertThat(denied("", "unprogrammed-pod", "ingress")).isEqualTo(1);
    }

    @Test
    void aLoggedAcceptRuleIsRecordedWithItsOutcomeButNotCountedAsDenied() {
        Decision accepted = Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.ALLOW, PolicyTier.ADMIN,
                "monitoring", new Decision.RuleRef(0, "scrape"));
        apply(graph(), Map.of("weir:33333333", accepted));

        at(0, tcp("weir:33333333", "10.0.0.2", "10.0.0.1", 9100));

        assertThat(flushAt(250)).singleElement().asString().contains("\"outcome\":\"allow\"");
        assertThat(metrics.deniedPackets.collect().getDataPoints()).isEmpty();
    }

    @Test
    void aRulesetWithoutADecisionRemovesItsSeries() throws Exception {
        PolicyGraph graph = graph();
        apply(graph, Map.of(DENY_WEB, WEB_DEFAULT_DENY, DENY_METADATA, METADATA_DENY));
        at(0, tcp(DENY_WEB, "10.0.0.2", "10.0.0.1", 80));
        at(1, tcp(DENY_METADATA, "10.0.0.1", "169.254.169.254", 80));
        assertThat(scrape()).contains("policy=\"dev/deny-all,dev/web-from-db\"",
                "policy=\"ClusterNetworkPolicy/deny-cloud-metadata\"");

        apply(graph, Map.of("weir:99999999", METADATA_DENY)); // web-from-db deleted: deny-all alone isolates web

        assertThat(scrape()).doesNotContain("dev/web-from-db")
                .contains("policy=\"ClusterNetworkPolicy/deny-cloud-metadata\"");
    }

    @Test
    void theSeriesAreCappedAndTheRestCountedTogether() {
        List<String> namespaces = new ArrayList<>();
        for (int i = 0; i < DeniedPacketSeries.MAX_SERIES + 5; i++) {
            namespaces.add("ns" + i);
        }
        DeniedPacketSeries series = new DeniedPacketSeries(metrics.deniedPackets);
        for (String ns : namespaces) {
            Decision d = Decision.defaultDeny(PolicyType.INGRESS, List.of(ObjectKey.networkPolicy(ns, "deny")));
            series.count(new DenialRecord(NOW, "n1", new DenialRecord.End(IpAddress.parse("10.0.0.2"),
                    Optional.empty()), new DenialRecord.End(IpAddress.parse("10.0.0.1"), Optional.empty()), 6, 80, d,
                    1));
        }

        assertThat(series.size()).isEqualTo(DeniedPacketSeries.MAX_SERIES + 1);
        assertThat(denied("", "_other", "ingress")).isEqualTo(5);
    }
}
