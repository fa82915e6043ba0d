package dev.weir.lab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replace that meets the controller's write in between (409 Conflict) is retried, against fabric8's mock server in
 * CRUD mode with the conflicts injected as expectations, which the server answers before its CRUD store.
 */
@EnableKubernetesMockClient(crud = true)
class ObjectWritesTest {

    private static final String PATH = "/apis/networking.k8s.io/v1/namespaces/x/networkpolicies/web";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aReplaceThatMeetsAConflictIsRetriedAndLands() {
        client.resource(policy("Ingress")).create();
        server.expect().put().withPath(PATH).andReturn(409, conflict()).times(2);

        NetworkPolicy edited = policy("Egress");
        edited.getMetadata().setResourceVersion("1"); // read before the controller's write: stale

        ObjectWrites.createOrReplace(client, edited);

        assertThat(stored().getSpec().getPolicyTypes()).containsExactly("Egress");
    }

    @Test
    void aConflictThatDoesNotEndIsReportedAfterTheLastAttempt() {
        client.resource(policy("Ingress")).create();
        server.expect().put().withPath(PATH).andReturn(409, conflict()).times(ObjectWrites.ATTEMPTS);

        assertThatThrownBy(() -> ObjectWrites.createOrReplace(client, policy("Egress")))
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("has been modified");
        assertThat(stored().getSpec().getPolicyTypes()).containsExactly("Ingress");
    }

    @Test
    void aNewObjectIsCreated() {
        ObjectWrites.createOrReplace(client, policy("Ingress"));

        assertThat(stored().getSpec().getPolicyTypes()).containsExactly("Ingress");
    }

    private NetworkPolicy stored() {
        return client.network().v1().networkPolicies().inNamespace("x").withName("web").get();
    }

    private static NetworkPolicy policy(String type) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace("x").withName("web")
                .endMetadata().withNewSpec().withNewPodSelector()
                .withMatchLabels(Map.of("app", "web")).endPodSelector().withPolicyTypes(List.of(type)).endSpec()
                .build();
    }

    private static String conflict() {
        return """
                {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409,
                 "message":"Operation cannot be fulfilled on networkpolicies.networking.k8s.io \\"web\\": the object has been modified; please apply your changes to the latest version and try again"}
                """;
    }
}
