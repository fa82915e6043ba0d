package dev.weir.crd.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JSON field names of the report are its contract with {@code weir controller} and {@code weir status}: the
 * documented example reads into the Java types field for field and back without losing anything.
 */
class NodePolicyReportSerializationTest {

    static final String YAML = """
            apiVersion: weir.dev/v1alpha1
            kind: NodePolicyReport
            metadata:
              name: node-2
              ownerReferences:
              - apiVersion: v1
                kind: Node
                name: node-2
                uid: 2f0c4d8e-5b1a-4c3e-9d7f-6a8b0c1d2e3f
            status:
              agentVersion: 0.1.0
              heartbeatIntervalSeconds: 60
              lastHeartbeatTime: "2026-12-07T10:15:02.214Z"
              lastAppliedTime: "2026-12-07T10:14:58.53Z"
              rulesetHash: 9c41e07a5b3d2f18
              policyCount: 2
              policies:
              - kind: ClusterNetworkPolicy
                name: deny-metadata
                uid: 7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6
                generation: 1
                appliedTime: "2026-12-07T09:02:11.004Z"
              - kind: NetworkPolicy
                namespace: shop
                name: web-from-frontend
                uid: 0b2b4d2e-7a8c-4f5e-9c1d-3e4f5a6b7c8d
                generation: 3
                appliedTime: "2026-12-07T10:14:58.53Z"
              rejectedCount: 1
              rejected:
              - kind: NetworkPolicy
                namespace: shop
                name: bad-cidr
                uid: 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9
                generation: 1
                message: 'spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR "10.0.0.0/33"'
              lastFailure:
                time: "2026-12-07T10:14:57.902Z"
                message: "dev.weir.iptables.apply.ApplyException: iptables-nft-restore --noflush --wait exited 4: iptables-nft-restore: unable to initialize table 'filter'"
              consecutiveFailures: 0
            """;

    @Test
    void readsEveryFieldOfTheDocumentedShape() {
        NodePolicyReport report = Serialization.unmarshal(YAML, NodePolicyReport.class);
        NodePolicyReportStatus s = report.getStatus();

        assertThat(report.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("Node"));
        assertThat(s.agentVersion()).isEqualTo("0.1.0");
        assertThat(s.heartbeatIntervalSeconds()).isEqualTo(60);
        assertThat(s.lastHeartbeatTime()).isEqualTo("2026-12-07T10:15:02.214Z");
        assertThat(s.lastAppliedTime()).isEqualTo("2026-12-07T10:14:58.53Z");
        assertThat(s.rulesetHash()).isEqualTo("9c41e07a5b3d2f18");
        assertThat(s.policyCount()).isEqualTo(2);
        assertThat(s.policies()).containsExactly(
                new EnforcedPolicy("ClusterNetworkPolicy", null, "deny-metadata",
                        "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6", 1L, "2026-12-07T09:02:11.004Z"),
                new EnforcedPolicy("NetworkPolicy", "shop", "web-from-frontend",
                        "0b2b4d2e-7a8c-4f5e-9c1d-3e4f5a6b7c8d", 3L, "2026-12-07T10:14:58.53Z"));
        assertThat(s.rejectedCount()).isEqualTo(1);
        assertThat(s.rejected()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("bad-cidr");
            assertThat(r.generation()).isEqualTo(1L);
            assertThat(r.message()).startsWith("spec.ingress[0].from[0].ipBlock.cidr");
        });
        assertThat(s.lastFailure().time()).isEqualTo("2026-12-07T10:14:57.902Z");
        assertThat(s.lastFailure().message()).contains("unable to initialize table 'filter'");
        assertThat(s.consecutiveFailures()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesBackExactlyWhatItRead() {
        Map<String, Object> read = Serialization.unmarshal(YAML, Map.class);
        NodePolicyReport report = Serialization.unmarshal(YAML, NodePolicyReport.class);

        Map<String, Object> written = Serialization.unmarshal(Serialization.asJson(report), Map.class);
        assertThat(written).isEqualTo(read);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReportHasNoSpecAndLeavesOutWhatIsUnknown() {
        NodePolicyReport report = new NodePolicyReport();
        report.getMetadata().setName("n1");
        report.setStatus(new NodePolicyReportStatus("0.1.0", 60, "2026-12-07T10:15:02Z", null, null, 0, null, 0,
                null, null, 0));

        Map<String, Object> json = Serialization.unmarshal(Serialization.asJson(report), Map.class);
        assertThat(json).doesNotContainKey("spec");
        assertThat((Map<String, Object>) json.get("status")).containsOnlyKeys("agentVersion",
                "heartbeatIntervalSeconds", "lastHeartbeatTime", "policyCount", "policies", "rejectedCount", "rejected",
                "consecutiveFailures");
        assertThat(report.getStatus().policies()).isEmpty();
    }

    @Test
    void docsAgentMdShowsThisExample() throws IOException {
        String docs = Files.readString(Path.of("../docs/agent.md"));
        Matcher m = Pattern.compile("```yaml\n(apiVersion: weir.dev/v1alpha1\nkind: NodePolicyReport\n.*?)```",
                Pattern.DOTALL).matcher(docs);
        assertThat(m.find()).as("docs/agent.md has a NodePolicyReport example").isTrue();
        assertThat(m.group(1)).isEqualTo(YAML);
        assertThat(m.find()).as("one NodePolicyReport example").isFalse();
    }
}
