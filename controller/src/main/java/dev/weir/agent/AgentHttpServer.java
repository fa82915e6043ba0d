package dev.weir.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weir.agent.metrics.MetricsExposition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics} (Prometheus text format 0.0.4, written by the Prometheus
 * client) on {@code 0.0.0.0:port}, with the JDK's HTTP server and one small thread: probes and scrapes are rare and
 * cheap, and one port keeps the kubelet probes and the scrape config simple. The node agent and the controller serve
 * their own health and registry through it.
 */
public final class AgentHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private AgentHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds and starts serving; port 0 picks a free port (see {@link #port()}). */
    public static AgentHttpServer start(int port, Supplier<Health> health, MetricsExposition metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/healthz", ex -> {
            Health h = health.get();
            respond(ex, h.live() ? 200 : 503, "text/plain; charset=utf-8", h.live() ? "ok\n" : "loop stopped\n");
        });
        server.createContext("/readyz", ex -> {
            Health h = health.get();
            respond(ex, h.ready() ? 200 : 503, "text/plain; charset=utf-8", h.reason() + "\n");
        });
        server.createContext("/metrics", ex -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
            metrics.writeTo(body);
            respond(ex, 200, metrics.contentType(), body.toByteArray());
        });
        server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8",
                "not found; try /healthz, /readyz or /metrics\n"));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weir-http-" + port);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new AgentHttpServer(server, executor);
    }

    private static void respond(HttpExchange ex, int code, String contentType, String body) throws IOException {
        respond(ex, code, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange ex, int code, String contentType, byte[] bytes) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(code, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
