package dev.weir.agent.metrics;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What {@code GET /metrics} serves ({@code AgentHttpServer}): a process's whole registry in the Prometheus text format.
 * The node agent's {@link AgentMetrics} and the controller's metrics each have their own registry.
 */
public interface MetricsExposition {

    /** The content type of {@link #writeTo}: the Prometheus text format 0.0.4. */
    String contentType();

    /** Writes every metric of the registry, weir's and the JVM's. */
    void writeTo(OutputStream out) throws IOException;
}
