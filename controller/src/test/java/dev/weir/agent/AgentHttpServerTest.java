package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.metrics.AgentMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints as a kubelet probe and a Prometheus scrape see them. */
class AgentHttpServerTest {

    private final AgentMetrics metrics = new AgentMetrics();
    private final AtomicReference<Health> health = new AtomicReference<>(
            new Health(true, false, "informer caches not synced yet"));
    private final HttpClient http = HttpClient.newHttpClient();
    private AgentHttpServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = AgentHttpServer.start(0, health::get, metrics);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyzIs503WithTheReasonUntilReadyThen200() throws Exception {
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("informer caches not synced yet");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        health.set(Health.ok());
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void healthzIs503WhenTheLoopIsDead() throws Exception {
        health.set(new Health(false, false, "sync loop stopped"));
        assertThat(get("/healthz").statusCode()).isEqualTo(503);
    }

    @Test
    void metricsAreValidPrometheusTextWithEveryContractMetric() throws Exception {
        metrics.syncs.inc();
        metrics.applyErrors.inc();
        metrics.rules.set(42);
        metrics.syncDuration.observe(0.003);
        metrics.syncDuration.observe(0.7);
        metrics.eventToApply.observe(120);

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String body = r.body();
        assertThat(body).contains(
                "# TYPE weir_sync_duration_seconds histogram",
                "weir_sync_duration_seconds_bucket{le=\"0.0025\"} 0\n",
                "weir_sync_duration_seconds_bucket{le=\"0.005\"} 1\n",
                "weir_sync_duration_seconds_bucket{le=\"1.0\"} 2\n",
                "weir_sync_duration_seconds_bucket{le=\"+Inf\"} 2\n",
                "weir_sync_duration_seconds_sum 0.703\n",
                "weir_sync_duration_seconds_count 2\n",
                "weir_event_to_apply_seconds_bucket{le=\"60.0\"} 0\n",
                "weir_event_to_apply_seconds_bucket{le=\"+Inf\"} 1\n",
                "# TYPE weir_apply_duration_seconds histogram",
                "# TYPE weir_chains gauge", "# TYPE weir_ipset_members gauge",
                "# TYPE weir_policies_rejected gauge",
                "weir_rules 42.0\n",
                "# TYPE weir_apply_errors_total counter\nweir_apply_errors_total 1.0\n",
                "# TYPE weir_syncs_total counter\nweir_syncs_total 1.0\n",
                "# TYPE weir_drift_repairs_total counter\n");
        for (String line : body.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\\{.*\\})? [0-9.E+-]+|[a-z_]+(\\{.*\\})? [+-]?Inf");
        }
    }

    @Test
    void metricsIncludeTheJvmAndTheProcess() throws Exception {
        String body = get("/metrics").body();

        assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge", "# TYPE jvm_threads_current gauge",
                "# TYPE jvm_gc_collection_seconds summary", "# TYPE process_cpu_seconds_total counter",
                "# TYPE process_start_time_seconds gauge");
    }

    @Test
    void metricsTellHowCloseTheHeapIsToItsLimit() throws Exception {
        System.gc(); // one collection at least, so that the after-GC figure is one
        String body = get("/metrics").body();

        long max = gaugeValue(body, "weir_heap_max_bytes");
        long used = gaugeValue(body, "weir_heap_used_after_gc_bytes");
        assertThat(max).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(used).isPositive().isLessThan(max);
        assertThat(body).containsPattern("\nweir_heap_used_after_gc_ratio 0\\.[0-9]");
    }

    private static long gaugeValue(String body, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n" + name + " ([0-9.E+-]+)\n").matcher(body);
        assertThat(m.find()).as(name).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }
}
