package dev.weir.agent.denials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.params.provider.ValueSource;

/** A denial record's JSON line read back: every field round-trips, and a line that is not a record says why. */
class DenialRecordJsonTest {

    private static final String LINE = "{\"time\":\"2026-12-07T06:33:07.231Z\",\"node\":\"n1\","
            + "\"src\":{\"ip\":\"10.249.0.4\",\"pod\":\"dev/other\"},\"dst\":{\"ip\":\"10.249.0.3\",\"pod\":\"dev/web\"},"
            + "\"protocol\":\"TCP\",\"port\":80,\"decision\":{\"direction\":\"ingress\",\"outcome\":\"deny\","
            + "\"cause\":\"default-deny\",\"tier\":\"NetworkPolicy\",\"objects\":[{\"kind\":\"NetworkPolicy\","
            + "\"namespace\":\"dev\",\"name\":\"web-from-db\"}],\"rule\":null},\"count\":3}";

    @Test
    void theDocumentedLineReadsBackToTheRecordThatWritesIt() {
        DenialRecord r = DenialRecordJson.read(LINE);

        assertThat(r).isEqualTo(new DenialRecord(Instant.parse("2026-12-07T06:33:07.231Z"), "n1",
                new DenialRecord.End(IpAddress.parse("10.249.0.4"), Optional.of(ObjectKey.pod("dev", "other"))),
                new DenialRecord.End(IpAddress.parse("10.249.0.3"), Optional.of(ObjectKey.pod("dev", "web"))), 6, 80,
                Decision.defaultDeny(PolicyType.INGRESS, List.of(ObjectKey.networkPolicy("dev", "web-from-db"))), 3));
        assertThat(DenialRecordJson.write(r)).isEqualTo(LINE);
    }

    static Stream<Arguments> records() {
        Instant t = Instant.parse("2026-12-08T10:15:02.113Z");
        DenialRecord.End web = new DenialRecord.End(IpAddress.parse("10.0.0.1"),
                Optional.of(ObjectKey.pod("dev", "web")));
        DenialRecord.End outside = new DenialRecord.End(IpAddress.parse("fd00::7"), Optional.empty());
        return Stream.of(
                Arguments.of("cluster rule, UDP", new DenialRecord(t, "n1", web,
                        new DenialRecord.End(IpAddress.parse("169.254.169.254"), Optional.empty()), 17, 53,
                        Decision.clusterPolicyRule(PolicyType.EGRESS, Decision.Outcome.DENY, PolicyTier.ADMIN,
                                "deny-cloud-metadata", new Decision.RuleRef(0, "imds")), 1)),
                Arguments.of("ICMPv6 type, no pods", new DenialRecord(t, "n2", outside, outside, 58, 128,
                        Decision.unprogrammedPod(PolicyType.INGRESS), 7)),
                Arguments.of("no port (GRE)", new DenialRecord(t, "n1", web, outside, 47, -1,
                        Decision.spoofedSource(ObjectKey.pod("dev", "web")), 2)),
                Arguments.of("a logged Baseline Pass, SCTP", new DenialRecord(t, "n1", outside, web, 132, 9000,
                        Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.PASS, PolicyTier.BASELINE,
                                "tenants", new Decision.RuleRef(2, "")), 12)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void everyRecordRoundTrips(String name, DenialRecord record) {
        assertThat(DenialRecordJson.read(DenialRecordJson.write(record))).isEqualTo(record);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ICMP", "TCP", "UDP", "DCCP", "ICMPv6", "SCTP", "UDPLite", "0", "47", "255"})
    void protocolNamesReadBackToTheirNumbers(String name) {
        assertThat(DenialRecord.protocolName(DenialRecord.protocolNumber(name))).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "256", "047", "-1", ""})
    void anUnknownProtocolIsRefused(String name) {
        assertThatThrownBy(() -> DenialRecord.protocolNumber(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IP protocol");
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("not JSON", "{\"time\":", "invalid JSON"),
                Arguments.of("an array", "[1]", "must be a JSON object"),
                Arguments.of("no time", LINE.replace("\"time\":\"2026-12-07T06:33:07.231Z\",", ""), "\"time\""),
                Arguments.of("a time that is no instant", LINE.replace("2026-12-07T06:33:07.231Z", "yesterday"),
                        "not an instant"),
                Arguments.of("no node", LINE.replace("\"node\":\"n1\",", ""), "\"node\""),
                Arguments.of("a bad address", LINE.replace("10.249.0.4", "10.249.0"), "src.ip"),
                Arguments.of("a pod without namespace", LINE.replace("dev/web", "web"), "dst.pod"),
                Arguments.of("no dst", LINE.replace("\"dst\"", "\"dest\""), "\"dst\""),
                Arguments.of("a port as text", LINE.replace("\"port\":80", "\"port\":\"80\""), "\"port\""),
                Arguments.of("no count", LINE.replace(",\"count\":3", ""), "\"count\""),
                Arguments.of("a decision of an unknown cause", LINE.replace("default-deny", "because"),
                        "unknown cause"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aLineThatIsNoRecordIsRefusedNamingWhy(String name, String line, String message) {
        assertThatThrownBy(() -> DenialRecordJson.read(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
