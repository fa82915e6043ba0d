package dev.weir.controller;

import static dev.weir.agent.Kube.cnp;
import static dev.weir.agent.Kube.invalidCidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.agent.MockCluster;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.crd.ClusterNetworkPolicyStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What fabric8's mock API server in CRUD mode does with the requests the controller makes: what its tests can show
 * and what they cannot (docs/controller.md, "Tests"). If the mock changes, this says where.
 */
class MockApiServerTest {

    private MockCluster cluster;
    private KubernetesClient kube;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new MockCluster();
        cluster.serveClusterNetworkPolicies();
        kube = cluster.newClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        dev.weir.agent.Closing.inOrder(kube, cluster);
    }

    @Test
    void leasesAreStoredAndAStaleUpdateIsAConflictAsTheElectorNeeds() {
        Lease created = kube.leases().inNamespace("kube-system").resource(new LeaseBuilder().withNewMetadata()
                .withName("l").endMetadata().withNewSpec().withHolderIdentity("a").endSpec().build()).create();
        Lease read = kube.leases().inNamespace("kube-system").withName("l").get();
        read.getSpec().setHolderIdentity("b");
        kube.leases().inNamespace("kube-system").resource(read).update();

        created.getSpec().setHolderIdentity("c");
        assertThatThrownBy(() -> kube.leases().inNamespace("kube-system").resource(created).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(kube.leases().inNamespace("kube-system").withName("l").get().getSpec().getHolderIdentity())
                .isEqualTo("b");
    }

    @Test
    void aStatusWriteKeepsTheGenerationButIsNotCheckedAgainstTheResourceVersion() {
        ClusterNetworkPolicy created = kube.resource(cnp("p", 10)).create();
        ClusterNetworkPolicy stale = kube.resources(ClusterNetworkPolicy.class).withName("p").get();
        ClusterNetworkPolicyStatus status = new ClusterNetworkPolicyStatus();
        status.setConditions(List.of(new ConditionBuilder().withType("Accepted").withStatus("True").withReason("A")
                .withMessage("first").withLastTransitionTime("2026-01-01T00:00:00Z").build()));
        created.setStatus(status);

        ClusterNetworkPolicy written = kube.resource(created).updateStatus();
        assertThat(written.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(written.getMetadata().getResourceVersion()).isNotEqualTo(stale.getMetadata().getResourceVersion());

        // a real API server answers 409 here
        stale.setStatus(status);
        status.getConditions().get(0).setMessage("second, over a stale resourceVersion");
        kube.resource(stale).updateStatus();
        assertThat(kube.resources(ClusterNetworkPolicy.class).withName("p").get().getStatus().getConditions().get(0)
                .getMessage()).isEqualTo("second, over a stale resourceVersion");
    }

    @Test
    void aReplaceOfTheWholeObjectReplacesItsStatusToo() {
        ClusterNetworkPolicy created = kube.resource(cnp("p", 10)).create();
        ClusterNetworkPolicyStatus status = new ClusterNetworkPolicyStatus();
        status.setConditions(List.of(new ConditionBuilder().withType("Accepted").withStatus("True").withReason("A")
                .withMessage("m").withLastTransitionTime("2026-01-01T00:00:00Z").build()));
        created.setStatus(status);
        kube.resource(created).updateStatus();

        ClusterNetworkPolicy edited = cnp("p", 20); // as kubectl apply sends it: no status
        edited.getMetadata().setResourceVersion(kube.resources(ClusterNetworkPolicy.class).withName("p").get()
                .getMetadata().getResourceVersion());
        kube.resource(edited).update();

        ClusterNetworkPolicy after = kube.resources(ClusterNetworkPolicy.class).withName("p").get();
        assertThat(after.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(after.getStatus()).as("a real API server keeps the status here").isNull();
    }

    @Test
    void eventsCollideByNameAndMergePatchesWorkWhereStrategicOnesAreRefused() {
        var event = new EventBuilder().withNewMetadata().withName("e").withNamespace("dev").endMetadata()
                .withReason("PolicyRejected").build();
        kube.v1().events().inNamespace("dev").resource(event).create();
        assertThatThrownBy(() -> kube.v1().events().inNamespace("dev").resource(event).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        kube.resource(invalidCidr("dev", "np")).create();
        var patched = kube.network().v1().networkPolicies().inNamespace("dev").withName("np").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"weir.dev/x\":\"1\"}}}");
        assertThat(patched.getMetadata().getAnnotations()).containsEntry("weir.dev/x", "1");
        assertThat(patched.getMetadata().getGeneration()).isEqualTo(1L);
        assertThatThrownBy(() -> kube.network().v1().networkPolicies().inNamespace("dev").withName("np").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE),
                "{\"metadata\":{\"annotations\":{\"weir.dev/x\":\"2\"}}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
    }
}
