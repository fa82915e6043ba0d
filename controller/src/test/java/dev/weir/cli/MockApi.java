package dev.weir.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock API server in CRUD mode serving ClusterNetworkPolicy and NodePolicyReport, a client to fill it and a
 * kubeconfig file to point {@code weir status} and {@code weir explain --cluster} at it (context namespace
 * {@code shop}).
 */
final class MockApi implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Path kubeconfig;

    MockApi(Path dir) throws Exception {
        this(dir, true);
    }

    /** {@code reports} false: the server does not serve NodePolicyReport, as a cluster without weir's CRDs. */
    MockApi(Path dir, boolean reports) throws Exception {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
                java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("policy.networking.k8s.io")
                .withVersion("v1alpha2").withPlural("clusternetworkpolicies").withKind("ClusterNetworkPolicy")
                .withScope("Cluster").build());
        if (reports) {
            server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("weir.dev")
                    .withVersion("v1alpha1").withPlural("nodepolicyreports").withKind("NodePolicyReport")
                    .withScope("Cluster").build());
        } else { // CRUD mode would list an unknown kind as empty; a real API server says 404
            server.expect().get().withPath("/apis/weir.dev/v1alpha1/nodepolicyreports?limit=500").andReturn(404,
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                            + "\"code\":404}").always();
        }
        client = server.createClient();
        kubeconfig = dir.resolve("kubeconfig-" + server.getPort());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: mock
                  context: {cluster: mock, user: mock, namespace: shop}
                current-context: mock
                users:
                - name: mock
                  user: {token: mock}
                """.formatted(server.getPort()));
    }

    KubernetesMockServer server() {
        return server;
    }

    KubernetesClient client() {
        return client;
    }

    String kubeconfig() {
        return kubeconfig.toString();
    }

    /** Creates every object of a YAML text (multi-document); returns the last as stored (uid, generation). */
    HasMetadata create(String yaml) {
        HasMetadata last = null;
        for (HasMetadata o : client.load(new java.io.ByteArrayInputStream(yaml.getBytes())).items()) {
            last = o instanceof GenericKubernetesResource g ? client.genericKubernetesResources(g.getApiVersion(),
                    g.getKind()).resource(g).create() : client.resource(o).create();
        }
        return last;
    }

    /** Writes a NodePolicyReport named {@code node} whose status is this JSON. */
    void report(String node, String statusJson) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("weir.dev/v1alpha1");
        r.setKind("NodePolicyReport");
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(node).build());
        @SuppressWarnings("unchecked")
        Map<String, Object> status = Serialization.jsonMapper().readValue(statusJson, Map.class);
        r.setAdditionalProperty("status", status);
        client.genericKubernetesResources(new CustomResourceDefinitionContext.Builder().withGroup("weir.dev")
                .withVersion("v1alpha1").withPlural("nodepolicyreports").withKind("NodePolicyReport")
                .withScope("Cluster").build()).resource(r).create();
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // the port is released regardless (see agent/MockCluster)
        }
    }
}
