package dev.weir.agent;

import dev.weir.crd.report.NodePolicyReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's mock API server in CRUD mode, restartable on the same port with the same state (the state lives in the
 * dispatcher), to take the API server away from an agent and give it back (TOOLCHAIN.md §1: {@link #stop()} shuts
 * the server down, {@link #start()} opens a new one on the same port with the same dispatcher).
 */
public final class MockCluster implements AutoCloseable {

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(responses);
    private KubernetesMockServer server;
    private int port;

    public MockCluster() throws Exception {
        start();
    }

    public void start() throws Exception {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
                dispatcher, false);
        server.init(InetAddress.getByName("127.0.0.1"), port);
        port = server.getPort();
    }

    public void stop() {
        destroy();
    }

    /**
     * Shuts the server down; its own wait for Vert.x to finish can time out on a loaded machine, which is harmless.
     * Then forgets the watches the dead server had open: they stay registered in the shared dispatcher (their sockets
     * never report closing), and the dispatcher sends each change to every watch while holding its lock, waiting up to
     * 30 s per dead socket — so a change made while the server is away would stall every request of the returning
     * server, the agent's re-list included.
     */
    private void destroy() {
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // "Unable to close MockWebServer": the port is released regardless
        }
        forgetWatches();
    }

    private void forgetWatches() {
        try {
            Field crud = KubernetesMixedDispatcher.class.getDeclaredField("kubernetesCrudDispatcher");
            crud.setAccessible(true);
            Field listeners = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
            listeners.setAccessible(true);
            // a CopyOnWriteArraySet: clearing it is safe against a concurrent send
            ((Set<?>) listeners.get(crud.get(dispatcher))).clear();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's mock changed: cannot drop a stopped server's watches", e);
        }
    }

    /**
     * Makes the server serve ClusterNetworkPolicy as an installed CRD would: discovery lists the kind (the agent asks
     * before it watches) and CRUD stores the cluster-scoped objects.
     */
    public void serveClusterNetworkPolicies() {
        String list = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":"
                + "\"policy.networking.k8s.io/v1alpha2\",\"resources\":[{\"name\":\"clusternetworkpolicies\","
                + "\"singularName\":\"clusternetworkpolicy\",\"namespaced\":false,\"kind\":\"ClusterNetworkPolicy\","
                + "\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}]}";
        server.expect().get().withPath("/apis/policy.networking.k8s.io/v1alpha2").andReturn(200, list).always();
        server.expectCustomResource(new io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext.Builder()
                .withGroup("policy.networking.k8s.io").withVersion("v1alpha2").withPlural("clusternetworkpolicies")
                .withKind("ClusterNetworkPolicy").withScope("Cluster").build());
    }

    /**
     * Makes the server serve weir's NodePolicyReport as its installed CRD does: cluster-scoped, with a status
     * subresource (a create drops the status, only a status write sets it), and listed by discovery (the controller
     * asks before it watches). Without this call the mock stores the objects all the same, as plain resources.
     */
    public void serveNodeReports() {
        String list = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
                + NodePolicyReport.API_VERSION + "\",\"resources\":[{\"name\":\"" + NodePolicyReport.PLURAL
                + "\",\"singularName\":\"nodepolicyreport\",\"namespaced\":false,\"kind\":\""
                + NodePolicyReport.KIND + "\",\"verbs\":[\"create\",\"get\",\"list\",\"update\",\"watch\"]}]}";
        server.expect().get().withPath("/apis/" + NodePolicyReport.API_VERSION).andReturn(200, list).always();
        server.expectCustomResource(new io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext.Builder()
                .withGroup(NodePolicyReport.GROUP).withVersion(NodePolicyReport.VERSION)
                .withPlural(NodePolicyReport.PLURAL).withKind(NodePolicyReport.KIND).withScope("Cluster")
                .withStatusSubresource(true).build());
    }

    /**
     * Answers every request for {@code node}'s NodePolicyReport as an API server without the CRD does: 404 with a
     * plain-text body, for the object, its status and the create.
     */
    void refuseNodeReports(String node) {
        String base = "/apis/" + NodePolicyReport.API_VERSION + "/" + NodePolicyReport.PLURAL;
        for (String path : java.util.List.of(base + "/" + node, base + "/" + node + "/status")) {
            server.expect().get().withPath(path).andReturn(404, "404 page not found\n").always();
            server.expect().put().withPath(path).andReturn(404, "404 page not found\n").always();
        }
        server.expect().post().withPath(base).andReturn(404, "404 page not found\n").always();
    }

    /**
     * A second server on another port over the same state, and a client for it: to change the cluster while the
     * agent's API server is away (close both afterwards; the returning server then holds the changes).
     */
    SideDoor sideDoor() throws Exception {
        KubernetesMockServer side = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new MockWebServer(), responses, dispatcher, false);
        side.init(InetAddress.getByName("127.0.0.1"), 0);
        return new SideDoor(side, side.createClient());
    }

    record SideDoor(KubernetesMockServer server, KubernetesClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            try {
                server.destroy();
            } catch (IllegalStateException slowShutdown) {
                // as in destroy() below
            }
        }
    }

    public int port() {
        return port;
    }

    /** The method and path (with query) of each request the server received since the last call, in order. */
    public java.util.List<String> takeRequests() throws InterruptedException {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (io.fabric8.mockwebserver.http.RecordedRequest r = server.takeRequest(0, TimeUnit.MILLISECONDS); r != null;
                r = server.takeRequest(0, TimeUnit.MILLISECONDS)) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    /**
     * A client for the agent (its own connections, so closing it does not affect the test's client). Short timeouts:
     * a list sent while the server is down must fail within the tests' waits (fabric8's default request timeout is
     * 10 s, as long as those waits), so the informer retries against the returned server in time.
     */
    public KubernetesClient newClient() {
        return server.createClient(b -> b.editOrNewConfig().withWatchReconnectInterval(100)
                .withWatchReconnectLimit(-1).withRequestRetryBackoffInterval(50).withRequestRetryBackoffLimit(2)
                .withConnectionTimeout(1000).withRequestTimeout(2000).endConfig());
    }

    /** As {@link #newClient()}, but connecting through {@code 127.0.0.1:port} (a proxy a test can cut). */
    public KubernetesClient newClientVia(int port) {
        return server.createClient(b -> b.editOrNewConfig().withMasterUrl("http://127.0.0.1:" + port)
                .withWatchReconnectInterval(100).withWatchReconnectLimit(-1).withRequestRetryBackoffInterval(50)
                .withRequestRetryBackoffLimit(2).withConnectionTimeout(1000).withRequestTimeout(2000).endConfig());
    }

    @Override
    public void close() {
        destroy();
    }
}
