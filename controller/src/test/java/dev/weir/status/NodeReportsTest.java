package dev.weir.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.crd.report.ApplyFailure;
import dev.weir.crd.report.EnforcedPolicy;
import dev.weir.crd.report.NodePolicyReport;
import dev.weir.crd.report.NodePolicyReportStatus;
import dev.weir.crd.report.RejectedPolicy;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NodeReportsTest {

    private static GenericKubernetesResource object(String json) {
        return Serialization.jsonMapper().readValue(json, GenericKubernetesResource.class);
    }

    @Test
    void readsEveryFieldOfTheReport() {
        NodeReport r = NodeReports.read(object("""
                {"apiVersion":"weir.dev/v1alpha1","kind":"NodePolicyReport","metadata":{"name":"n1"},
                 "status":{"agentVersion":"0.9.0","heartbeatIntervalSeconds":60,
                  "lastHeartbeatTime":"2026-12-07T10:00:00Z","lastAppliedTime":"2026-12-07T09:59:30Z",
                  "rulesetHash":"00aa11bb22cc33dd","policyCount":3,
                  "policies":[{"kind":"NetworkPolicy","namespace":"shop","name":"web","uid":"u1","generation":2,
                               "appliedTime":"2026-12-07T09:00:00Z"},
                              {"kind":"ClusterNetworkPolicy","name":"deny","uid":"u2","generation":1}],
                  "rejectedCount":1,
                  "rejected":[{"kind":"NetworkPolicy","namespace":"shop","name":"bad","uid":"u3","generation":4,
                               "message":"spec: wrong"}],
                  "lastFailure":{"time":"2026-12-07T09:58:00Z","message":"ipset: busy"},
                  "consecutiveFailures":2}}"""));

        assertThat(r.node()).isEqualTo("n1");
        assertThat(r.agentVersion()).isEqualTo("0.9.0");
        assertThat(r.heartbeatInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.heartbeat()).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
        assertThat(r.lastApplied()).isEqualTo(Instant.parse("2026-12-07T09:59:30Z"));
        assertThat(r.rulesetHash()).isEqualTo("00aa11bb22cc33dd");
        assertThat(r.policyCount()).isEqualTo(3);
        assertThat(r.complete()).as("3 counted, 2 listed").isFalse();
        assertThat(r.policies()).containsEntry(ObjectKey.networkPolicy("shop", "web"),
                new NodeReport.Applied("u1", 2L, Instant.parse("2026-12-07T09:00:00Z")));
        assertThat(r.policies()).containsEntry(ObjectKey.clusterNetworkPolicy("deny"),
                new NodeReport.Applied("u2", 1L, null));
        assertThat(r.rejected()).containsExactlyEntriesOf(java.util.Map.of(ObjectKey.networkPolicy("shop", "bad"),
                new NodeReport.Rejected("u3", 4L, "spec: wrong")));
        assertThat(r.lastFailure()).isEqualTo(new NodeReport.Failure(Instant.parse("2026-12-07T09:58:00Z"),
                "ipset: busy"));
        assertThat(r.consecutiveFailures()).isEqualTo(2);
        assertThat(r.failing()).isTrue();
    }

    @Test
    void aBrokenFieldCostsThatFieldOnly() {
        NodeReport r = NodeReports.read(object("""
                {"apiVersion":"weir.dev/v1alpha1","kind":"NodePolicyReport","metadata":{"name":"n1"},
                 "status":{"lastHeartbeatTime":"yesterday","heartbeatIntervalSeconds":0,"policyCount":"many",
                  "policies":[{"kind":"Pod","namespace":"x","name":"a"},{"kind":"NetworkPolicy","name":"no-ns"},
                              {"kind":"ClusterNetworkPolicy","namespace":"x","name":"namespaced"},
                              {"kind":"NetworkPolicy","namespace":"x"},
                              {"kind":"NetworkPolicy","namespace":"x","name":"ok","generation":"2"}],
                  "consecutiveFailures":-1}}"""));

        assertThat(r.heartbeat()).isNull();
        assertThat(r.heartbeatInterval()).isNull();
        assertThat(r.policies()).containsOnlyKeys(ObjectKey.networkPolicy("x", "ok"));
        assertThat(r.policies().get(ObjectKey.networkPolicy("x", "ok")).generation()).isNull();
        assertThat(r.policyCount()).isEqualTo(1);
        assertThat(r.consecutiveFailures()).isZero();
    }

    @Test
    void aReportWithoutStatusIsEmpty() {
        NodeReport r = NodeReports.read(object("""
                {"apiVersion":"weir.dev/v1alpha1","kind":"NodePolicyReport","metadata":{"name":"n1"}}"""));
        assertThat(r.heartbeat()).isNull();
        assertThat(r.policies()).isEmpty();
        assertThat(r.lastFailure()).isNull();
    }

    @Test
    void readsWhatTheAgentsTypedReportSerializesTo() {
        // the agent writes through the crds module's records; this reader must take their JSON field for field
        NodePolicyReport typed = new NodePolicyReport();
        typed.setMetadata(new ObjectMetaBuilder().withName("n2").build());
        typed.setStatus(new NodePolicyReportStatus("1.2.3", 60, "2026-12-07T10:00:00Z", "2026-12-07T09:59:00Z",
                "ffeeddccbbaa9988", 1,
                List.of(new EnforcedPolicy("NetworkPolicy", "shop", "web", "u1", 3L, "2026-12-07T09:00:00Z")), 1,
                List.of(new RejectedPolicy("ClusterNetworkPolicy", null, "bad", "u9", 2L, "spec.priority: too high")),
                new ApplyFailure("2026-12-07T09:58:00Z", "ipset: busy"), 1));

        NodeReport r = NodeReports.read(object(Serialization.asJson(typed)));

        assertThat(r).isEqualTo(new NodeReport("n2", "1.2.3", Instant.parse("2026-12-07T10:00:00Z"),
                Duration.ofSeconds(60), Instant.parse("2026-12-07T09:59:00Z"), "ffeeddccbbaa9988", 1,
                new TreeMap<>(Map.of(ObjectKey.networkPolicy("shop", "web"),
                        new NodeReport.Applied("u1", 3L, Instant.parse("2026-12-07T09:00:00Z")))),
                new TreeMap<>(Map.of(ObjectKey.clusterNetworkPolicy("bad"),
                        new NodeReport.Rejected("u9", 2L, "spec.priority: too high"))),
                new NodeReport.Failure(Instant.parse("2026-12-07T09:58:00Z"), "ipset: busy"), 1));
    }
}
