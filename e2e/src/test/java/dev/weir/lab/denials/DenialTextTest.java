package dev.weir.lab.denials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Records in words: the columns of {@code weir lab denials} and each cause worded as explain words its reasons. */
class DenialTextTest {

    static final Instant T = Instant.parse("2026-12-08T10:15:02.113Z");
    static final DenialRecord.End XA = pod("10.244.1.2", "x", "a");
    static final DenialRecord.End YB = pod("10.244.2.3", "y", "b");

    static DenialRecord.End pod(String ip, String ns, String name) {
        return new DenialRecord.End(IpAddress.parse(ip), Optional.of(ObjectKey.pod(ns, name)));
    }

    static final Decision X_DEFAULT_DENY = Decision.defaultDeny(PolicyType.INGRESS,
            List.of(ObjectKey.networkPolicy("x", "deny-all"), ObjectKey.networkPolicy("x", "allow-z")));
    static final Decision ADMIN_DENY = Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.DENY,
            PolicyTier.ADMIN, "deny-y-to-x", new Decision.RuleRef(0, "deny-y"));

    @Test
    void oneAlignedLinePerRecordWithTheDecisionInExplainsWordsAndTheCount() {
        List<String> lines = DenialText.lines(List.of(
                new DenialRecord(T, "wl-n1", YB, XA, 6, 80, X_DEFAULT_DENY, 2),
                new DenialRecord(T.plusMillis(5), "wl-n2", XA,
                        new DenialRecord.End(IpAddress.parse("169.254.169.254"), Optional.empty()), 17, 53,
                        Decision.clusterPolicyRule(PolicyType.EGRESS, Decision.Outcome.DENY, PolicyTier.BASELINE,
                                "imds", new Decision.RuleRef(3, "")), 1)));

        assertThat(lines).containsExactly(
                "2026-12-08T10:15:02.113Z  wl-n1  y/b -> x/a              80/TCP  deny  ingress: x/a is isolated by "
                        + "x/allow-z, x/deny-all and no rule allows it: denied  (2 packets)",
                "2026-12-08T10:15:02.118Z  wl-n2  x/a -> 169.254.169.254  53/UDP  deny  egress: denied by "
                        + "ClusterNetworkPolicy imds egress[3] (Baseline)  (1 packet)");
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of(X_DEFAULT_DENY, "x/a",
                        "ingress: x/a is isolated by x/allow-z, x/deny-all and no rule allows it: denied"),
                Arguments.of(ADMIN_DENY, "x/a",
                        "ingress: denied by ClusterNetworkPolicy deny-y-to-x ingress[0] \"deny-y\" (Admin)"),
                Arguments.of(Decision.clusterPolicyRule(PolicyType.EGRESS, Decision.Outcome.ALLOW, PolicyTier.ADMIN,
                        "dns", new Decision.RuleRef(1, "to-dns")), "x/a",
                        "egress: allowed by ClusterNetworkPolicy dns egress[1] \"to-dns\" (Admin)"),
                Arguments.of(Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.PASS,
                        PolicyTier.BASELINE, "tenants", new Decision.RuleRef(0, "")), "x/a",
                        "ingress: passed by ClusterNetworkPolicy tenants ingress[0] (Baseline), which ends the "
                                + "Baseline tier: allowed by default"),
                Arguments.of(Decision.spoofedSource(ObjectKey.pod("x", "c")), "x/c",
                        "egress: x/c sent a packet with an address not its own: denied (anti-spoofing)"),
                Arguments.of(Decision.unprogrammedPod(PolicyType.INGRESS), "10.244.1.9",
                        "ingress: 10.244.1.9 is a local pod address weir has not programmed yet: denied "
                                + "(fail-closed)"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("decisions")
    void eachCauseIsWordedAsExplainWordsIt(Decision d, String subject, String words) {
        assertThat(DenialText.decision(d, subject)).isEqualTo(words);
    }

    @Test
    void targetsAreWrittenAsExplainWritesThemAndIcmpByType() {
        assertThat(DenialText.target(new DenialRecord(T, "n", XA, YB, 132, 81, ADMIN_DENY, 1))).isEqualTo("81/SCTP");
        assertThat(DenialText.target(new DenialRecord(T, "n", XA, YB, 1, 8, ADMIN_DENY, 1))).isEqualTo("ICMP type 8");
        assertThat(DenialText.target(new DenialRecord(T, "n", XA, YB, 47, -1, ADMIN_DENY, 1)))
                .isEqualTo("protocol 47");
        assertThat(DenialText.target(new DenialRecord(T, "n", XA, YB, 6, -1, ADMIN_DENY, 1))).isEqualTo("TCP");
    }
}
