package dev.weir.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Service as the traffic it reroutes sees it: a selector-based {@code ClusterIP} or {@code NodePort} Service with
 * its cluster IP, ports and {@code externalTrafficPolicy}. Policies never name a Service; what a packet sent to one
 * meets is decided by where kube-proxy's rules send it ({@code dev.weir.service.ServiceRoutes}).
 */
public record Service(String namespace, String name, Type type, IpAddress clusterIp, Map<String, String> selector,
        List<Port> ports, TrafficPolicy externalTrafficPolicy) {

    public enum Type { CLUSTER_IP, NODE_PORT }

    /** {@code externalTrafficPolicy}: to any ready endpoint (SNAT'd), or only to the entry node's own (source kept). */
    public enum TrafficPolicy { CLUSTER, LOCAL }

    public Service {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(clusterIp, "clusterIp");
        Objects.requireNonNull(externalTrafficPolicy, "externalTrafficPolicy");
        selector = Map.copyOf(selector);
        ports = List.copyOf(ports);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("Service " + namespace + "/" + name + " has no port");
        }
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }

    /** The port of this number and protocol, as a client addresses it at the cluster IP. */
    public Optional<Port> port(int number, Protocol protocol) {
        return ports.stream().filter(p -> p.port() == number && p.protocol() == protocol).findFirst();
    }

    /** The port a client reaches at a node's address on {@code nodePort}. */
    public Optional<Port> nodePort(int number, Protocol protocol) {
        return ports.stream().filter(p -> p.nodePort() == number && p.protocol() == protocol).findFirst();
    }

    /**
     * Whether {@code pod} is a ready endpoint of this Service: in its namespace, every selector label equal, running
     * with an address. A Service without a selector has no endpoints here (its Endpoints would be written by hand).
     */
    public boolean selects(Endpoint pod) {
        if (selector.isEmpty() || !pod.namespace().equals(namespace) || pod.ips().isEmpty()
                || pod.phase() != PodPhase.RUNNING) {
            return false;
        }
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(pod.labels().get(e.getKey())));
    }

    /**
     * One Service port: {@code port} at the cluster IP, {@code nodePort} at every node's address (0 for a
     * {@code ClusterIP} Service), forwarded to {@code targetPort} on each endpoint.
     */
    public record Port(String name, int port, Protocol protocol, TargetPort targetPort, int nodePort) {
        public Port {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(targetPort, "targetPort");
            name = name == null ? "" : name;
        }

        /** The number this port's traffic reaches on {@code pod}; empty when a named target port is not declared. */
        public Optional<Integer> targetOn(Endpoint pod) {
            if (targetPort instanceof TargetPort.Number n) {
                return Optional.of(n.port());
            }
            if (targetPort instanceof TargetPort.Named n) {
                return pod.resolvePort(n.name(), protocol);
            }
            throw new AssertionError(targetPort);
        }
    }

    /** {@code targetPort}: a number, or the name of a container port each endpoint resolves for itself. */
    public sealed interface TargetPort {
        record Number(int port) implements TargetPort {
            @Override
            public String toString() {
                return String.valueOf(port);
            }
        }

        record Named(String name) implements TargetPort {
            public Named {
                Objects.requireNonNull(name, "name");
            }

            @Override
            public String toString() {
                return name;
            }
        }
    }
}
