package dev.weir.lab.api;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CRUD dispatcher plus what kubectl needs from a real API server: static discovery documents ({@code /api},
 * {@code /apis}, one resource list per group version), {@code /version}, a 404 for {@code /openapi/*} (so kubectl
 * skips schema validation instead of failing), and strategic/JSON merge PATCH turned into GET + RFC 7386 merge + PUT
 * (the mock answers strategic merge with 415 and appends lists on merge patch, which breaks re-apply).
 */
final class KubectlDispatcher extends KubernetesMixedDispatcher {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> DISCOVERY = Map.of(
            "/api", "api.json",
            "/apis", "apis.json",
            "/api/v1", "api-v1.json",
            "/apis/networking.k8s.io/v1", "networking-v1.json",
            "/apis/policy.networking.k8s.io/v1alpha2", "policy-v1alpha2.json",
            "/apis/apiextensions.k8s.io/v1", "apiextensions-v1.json",
            "/apis/events.k8s.io/v1", "events-v1.json",
            "/apis/weir.dev/v1alpha1", "weir-v1alpha1.json");
    static final String VERSION = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-weir-lab\","
            + "\"platform\":\"linux/amd64\"}";

    KubectlDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
        super(responses);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        if ("GET".equals(request.getMethod())) {
            String file = DISCOVERY.get(bare);
            if (file != null) {
                return json(200, resource(file));
            }
            if (bare.equals("/version")) {
                return json(200, VERSION);
            }
            if (bare.startsWith("/openapi/")) {
                return json(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"reason\":\"NotFound\",\"code\":404}");
            }
        }
        String type = request.getHeader("Content-Type");
        if ("PATCH".equals(request.getMethod()) && type != null
                && (type.startsWith("application/strategic-merge-patch+json")
                        || type.startsWith("application/merge-patch+json"))) {
            return mergePatch(request, bare);
        }
        return super.dispatch(request);
    }

    private MockResponse mergePatch(RecordedRequest request, String bare) {
        MockResponse current = super.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET, bare,
                request.getHeaders(), new Buffer()));
        if (current.code() != 200) {
            return current;
        }
        JsonNode patch = JsonMerge.stripDirectives(JSON.readTree(request.getUtf8Body()));
        JsonNode merged = JsonMerge.merge(JSON.readTree(current.getBody().readUtf8()), patch);
        RecordedRequest put = new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, bare,
                request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                new Buffer(JSON.writeValueAsBytes(merged)));
        return super.dispatch(put);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static String resource(String file) {
        try (InputStream in = KubectlDispatcher.class.getResourceAsStream("/dev/weir/lab/discovery/" + file)) {
            if (in == null) {
                throw new IllegalStateException("discovery document " + file + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
