package dev.weir.lab.api;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.crd.report.NodePolicyReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The lab's API server: fabric8's mock in CRUD mode on 127.0.0.1, with the discovery and PATCH shims kubectl needs
 * ({@link KubectlDispatcher}). It is a stand-in with known limits (no set-based selectors, WebSocket-only watches,
 * no protobuf, no cascading namespace delete): docs/lab.md lists them.
 */
public final class LabApiServer implements AutoCloseable {

    /** The mock logs every request at INFO through java.util.logging; held strongly so the level sticks. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final int port;

    private LabApiServer(KubernetesMockServer server, int port) {
        this.server = server;
        this.port = port;
        this.client = server.createClient();
    }

    /** Starts on 127.0.0.1:{@code port} (0 picks a free port). */
    public static LabApiServer start(int port) {
        MOCK_LOG.setLevel(Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>(); // one map for server and dispatcher
        KubectlDispatcher dispatcher = new KubectlDispatcher(responses);
        dispatcher.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                .withGroup("policy.networking.k8s.io").withVersion("v1alpha2").withPlural("clusternetworkpolicies")
                .withKind("ClusterNetworkPolicy").withScope("Cluster").build());
        // the agents' reports, read by the controller and weir status: cluster-scoped, written through /status
        dispatcher.expectCustomResource(new CustomResourceDefinitionContext.Builder()
                .withGroup(NodePolicyReport.GROUP).withVersion(NodePolicyReport.VERSION)
                .withPlural(NodePolicyReport.PLURAL).withKind(NodePolicyReport.KIND).withScope("Cluster")
                .withStatusSubresource(true).build());
        KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new MockWebServer(), responses, dispatcher, false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        LabApiServer lab = new LabApiServer(server, server.getPort());
        lab.installCrd(ClusterNetworkPolicy.CRD_RESOURCE);
        lab.installCrd(NodePolicyReport.CRD_RESOURCE);
        return lab;
    }

    /**
     * Stores one of weir's CRDs (ClusterNetworkPolicy, NodePolicyReport), as {@code helm install} would on a real
     * cluster, so that agents find the CRD object they report (channel, bundle version); serving the resources is
     * the dispatcher's part above.
     */
    private void installCrd(String resource) {
        try (InputStream yaml = ClusterNetworkPolicy.class.getClassLoader().getResourceAsStream(resource)) {
            if (yaml == null) {
                throw new IllegalStateException(resource + " is missing from the crds jar");
            }
            client.apiextensions().v1().customResourceDefinitions().load(yaml).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A client of this server, for the daemon's own use (objects, in-process agents). */
    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig for kubectl and agents; the token is a placeholder the mock ignores. */
    public String kubeconfig() {
        return kubeconfig(url());
    }

    public static String kubeconfig(String url) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: weir-lab
                  cluster:
                    server: %s
                contexts:
                - name: weir-lab
                  context:
                    cluster: weir-lab
                    user: weir-lab
                    namespace: default
                current-context: weir-lab
                users:
                - name: weir-lab
                  user:
                    token: weir-lab
                """.formatted(url);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
