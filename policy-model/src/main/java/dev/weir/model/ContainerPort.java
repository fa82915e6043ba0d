package dev.weir.model;

import java.util.Objects;

/** A container port a pod declares; {@code name} is null when the port is unnamed. */
public record ContainerPort(String name, int port, Protocol protocol) {

    public ContainerPort {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("container port " + port + " out of range 1-65535");
        }
    }

    public static ContainerPort named(String name, int port, Protocol protocol) {
        return new ContainerPort(name, port, protocol);
    }
}
