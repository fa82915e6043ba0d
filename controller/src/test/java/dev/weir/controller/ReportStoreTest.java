package dev.weir.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.status.NodeReports;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class ReportStoreTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** A report as the API server serves it: the owner reference and managed fields of the agent's writes. */
    private static final String REPORT = """
            {"apiVersion":"weir.dev/v1alpha1","kind":"NodePolicyReport","metadata":{"name":"n7","uid":"u-7",
             "resourceVersion":"4711","generation":1,"creationTimestamp":"2026-12-07T09:00:00Z",
             "ownerReferences":[{"apiVersion":"v1","kind":"Node","name":"n7","uid":"node-7"}],
             "managedFields":[{"manager":"fabric8-kubernetes-client","operation":"Update","apiVersion":"weir.dev/v1alpha1",
              "time":"2026-12-07T11:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:status":{".":{},"f:policies":{}}},
              "subresource":"status"}]},
             "status":{"agentVersion":"0.1.0","heartbeatIntervalSeconds":60,"lastHeartbeatTime":"2026-12-07T11:00:00.250Z",
              "lastAppliedTime":"2026-12-07T10:59:00Z","rulesetHash":"0123456789abcdef","policyCount":2,
              "policies":[{"kind":"NetworkPolicy","namespace":"ns1","name":"web","uid":"p-1","generation":3,
                "appliedTime":"2026-12-07T10:00:00Z"},
               {"kind":"ClusterNetworkPolicy","name":"deny-all","uid":"p-2","generation":1,
                "appliedTime":"2026-12-07T10:01:00Z"}],
              "rejectedCount":1,"rejected":[{"kind":"NetworkPolicy","namespace":"ns2","name":"bad","uid":"p-3",
                "generation":2,"message":"port 0"}],
              "lastFailure":{"time":"2026-12-07T10:30:00Z","message":"ipset restore: EBUSY"},"consecutiveFailures":0}}
            """;

    @Test
    void aKeptReportReadsAsTheSameNodeReport() {
        GenericKubernetesResource served = JSON.unmarshal(REPORT, GenericKubernetesResource.class);
        ItemStore<GenericKubernetesResource> store = ReportStore.create();
        store.put(store.getKey(served), served);

        GenericKubernetesResource kept = store.get("n7");

        assertThat(NodeReports.read(kept)).isEqualTo(NodeReports.read(served));
        assertThat(NodeReports.read(kept).policies()).hasSize(2);
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("4711");
        assertThat(kept.getMetadata().getUid()).isEqualTo("u-7");
    }

    @Test
    void managedFieldsAndOwnerReferencesAreNotKept() {
        GenericKubernetesResource served = JSON.unmarshal(REPORT, GenericKubernetesResource.class);
        ItemStore<GenericKubernetesResource> store = ReportStore.create();
        store.put("n7", served);

        GenericKubernetesResource kept = store.get("n7");

        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(JSON.asJson(kept)).doesNotContain("fabric8-kubernetes-client", "node-7");
        assertThat(served.getMetadata().getManagedFields()).hasSize(1); // the input is not changed
    }

    @Test
    void aReportWithoutStatusIsKeptWithout() {
        GenericKubernetesResource fresh = JSON.unmarshal("""
                {"apiVersion":"weir.dev/v1alpha1","kind":"NodePolicyReport","metadata":{"name":"n8",
                 "resourceVersion":"1"}}""", GenericKubernetesResource.class);
        ItemStore<GenericKubernetesResource> store = ReportStore.create();
        store.put("n8", fresh);

        assertThat(store.get("n8").getAdditionalProperties()).doesNotContainKey("status");
        assertThat(NodeReports.read(store.get("n8")).policies()).isEmpty();
    }
}
