package dev.weir.service;

import dev.weir.model.Endpoint;
import java.util.Objects;

/**
 * One way kube-proxy's rules can send a packet for a Service: to {@code backend} on {@code targetPort}, arriving
 * there from {@code seenSource} — the client itself, or the address the entry node masqueraded it to when it forwarded
 * the packet to another node. {@code path} says so in words; {@code hairpin} marks a client sent back to itself.
 */
public record ServiceRoute(Endpoint backend, int targetPort, Endpoint seenSource, boolean hairpin, String path) {

    public ServiceRoute {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(seenSource, "seenSource");
        Objects.requireNonNull(path, "path");
    }
}
