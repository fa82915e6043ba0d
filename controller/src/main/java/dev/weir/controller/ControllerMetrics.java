package dev.weir.controller;

import dev.weir.agent.metrics.HeapWatch;
import dev.weir.agent.metrics.MetricsExposition;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Every metric the controller exports, on the Prometheus Java client, with the client's JVM and process metrics and
 * the heap after GC as the agent exports it ({@link HeapWatch}: {@code weir_heap_*}); each
 * instance its own registry (two controllers in one test JVM). Writes are counted by what they touch:
 * {@code kind="status"} (a ClusterNetworkPolicy's conditions), {@code "annotation"} (a NetworkPolicy's
 * {@code weir.dev/enforced}), {@code "event"} (an Event created).
 */
public final class ControllerMetrics implements MetricsExposition {

    static final String[] WRITE_KINDS = {"status", "annotation", "event"};
    private static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

    public final Gauge leader = Gauge.builder().name("weir_controller_leader")
            .help("1 while this replica holds the controller's Lease and writes, else 0.").register(registry);
    public final Counter leaderTransitions = Counter.builder().name("weir_controller_leader_transitions")
            .help("Times this replica started or stopped leading.").register(registry);
    public final Counter writes = Counter.builder().name("weir_controller_writes")
            .help("Writes the controller made, by what they touch: status (ClusterNetworkPolicy conditions), "
                    + "annotation (NetworkPolicy weir.dev/enforced), event (an Event created).")
            .labelNames("kind").register(registry);
    public final Counter writeErrors = Counter.builder().name("weir_controller_write_errors")
            .help("Writes that failed (retried at the next reconcile of the object), by kind as weir_controller_writes.")
            .labelNames("kind").register(registry);
    public final Histogram reconcileDuration = Histogram.builder().name("weir_controller_reconcile_duration_seconds")
            .help("Time of one reconcile pass over the changed objects (translation, verdicts and the writes).")
            .classicOnly().classicUpperBounds(SECONDS).register(registry);
    public final Gauge policies = Gauge.builder().name("weir_controller_policies")
            .help("Policies the controller tracks (NetworkPolicies and ClusterNetworkPolicies).").register(registry);
    public final Gauge policiesRejected = Gauge.builder().name("weir_controller_policies_rejected")
            .help("Policies currently rejected as invalid (each has its PolicyRejected event).").register(registry);

    public ControllerMetrics() {
        JvmMetrics.builder().register(registry);
        HeapWatch.process().register(registry, "controller", "Controller memory");
        leader.set(0);
        for (String kind : WRITE_KINDS) {
            writes.labelValues(kind);
            writeErrors.labelValues(kind);
        }
    }

    @Override
    public String contentType() {
        return text.getContentType();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        text.write(out, registry.scrape());
    }
}
