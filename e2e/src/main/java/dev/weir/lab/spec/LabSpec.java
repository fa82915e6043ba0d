package dev.weir.lab.spec;

import dev.weir.model.ContainerPort;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a lab should contain: how many nodes, how they are wired, which IP families they and the pods have, and the
 * namespaces and pods to create. A pod's node is its 1-based node index, or 0 to let the planner spread it.
 */
public record LabSpec(int nodes, Topology topology, Backend backend, List<NamespaceSpec> namespaces,
        List<PodSpec> pods, IpStack ipStack, List<ServiceSpec> services) {

    /** The most nodes a lab has: node addresses and pod CIDRs are {@code 10.244.<i>.0/24}, one byte each. */
    public static final int MAX_NODES = 200;

    /** An IPv4 lab. */
    public LabSpec(int nodes, Topology topology, Backend backend, List<NamespaceSpec> namespaces,
            List<PodSpec> pods) {
        this(nodes, topology, backend, namespaces, pods, IpStack.IPV4, List.of());
    }

    /** A lab of this IP stack without Services. */
    public LabSpec(int nodes, Topology topology, Backend backend, List<NamespaceSpec> namespaces,
            List<PodSpec> pods, IpStack ipStack) {
        this(nodes, topology, backend, namespaces, pods, ipStack, List.of());
    }

    public LabSpec {
        ipStack = ipStack == null ? IpStack.IPV4 : ipStack; // a request.json written before there was a choice
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(backend, "backend");
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("a lab has 1-" + MAX_NODES + " nodes, not " + nodes);
        }
        namespaces = List.copyOf(namespaces);
        pods = List.copyOf(pods);
        services = services == null ? List.of() : List.copyOf(services); // request.json written before Services
        Set<String> nsNames = new HashSet<>();
        namespaces.forEach(n -> {
            if (!nsNames.add(n.name())) {
                throw new IllegalArgumentException("namespace " + n.name() + " declared twice");
            }
        });
        Set<String> keys = new HashSet<>();
        for (PodSpec p : pods) {
            if (!nsNames.contains(p.namespace())) {
                throw new IllegalArgumentException("pod " + p.key() + " is in undeclared namespace " + p.namespace());
            }
            if (!keys.add(p.key())) {
                throw new IllegalArgumentException("pod " + p.key() + " declared twice");
            }
            if (p.node() > nodes) {
                throw new IllegalArgumentException("pod " + p.key() + " is placed on node " + p.node()
                        + " but the lab has " + nodes);
            }
        }
        Set<String> serviceKeys = new HashSet<>();
        for (ServiceSpec s : services) {
            if (!nsNames.contains(s.namespace())) {
                throw new IllegalArgumentException("Service " + s.key() + " is in undeclared namespace "
                        + s.namespace());
            }
            if (!serviceKeys.add(s.key())) {
                throw new IllegalArgumentException("Service " + s.key() + " declared twice");
            }
        }
        if (pods.size() > nodes * 250) {
            throw new IllegalArgumentException("at most 250 pods per node fit a /24 pod CIDR");
        }
    }

    /**
     * The default cluster, shaped like the upstream netpol e2e suite: namespaces x, y, z (labelled {@code ns: <name>})
     * with pods a, b, c (labelled {@code pod: <name>}), each serving 80 and 81 over TCP, UDP and SCTP on ports named
     * {@code serve-<port>-<protocol>}. The planner spreads them so same-node and cross-node pairs both occur.
     */
    public static LabSpec defaultCluster(int nodes, Topology topology, Backend backend) {
        List<NamespaceSpec> namespaces = new ArrayList<>();
        List<PodSpec> pods = new ArrayList<>();
        for (String ns : List.of("x", "y", "z")) {
            namespaces.add(new NamespaceSpec(ns, Map.of("ns", ns)));
            for (String pod : List.of("a", "b", "c")) {
                pods.add(new PodSpec(ns, pod, Map.of("pod", pod), servePorts(List.of(80, 81)), 0));
            }
        }
        return new LabSpec(nodes, topology, backend, namespaces, pods);
    }

    /** Ports named {@code serve-<port>-<protocol>} for every protocol, as the default cluster declares them. */
    public static List<ContainerPort> servePorts(List<Integer> ports) {
        List<ContainerPort> out = new ArrayList<>();
        for (int port : ports) {
            for (Protocol p : Protocol.values()) {
                out.add(new ContainerPort("serve-" + port + "-" + p.lower(), port, p));
            }
        }
        return out;
    }

    public LabSpec withShape(int nodes, Topology topology, Backend backend) {
        return new LabSpec(nodes, topology, backend, namespaces, pods, ipStack, services);
    }

    public LabSpec withIpStack(IpStack stack) {
        return new LabSpec(nodes, topology, backend, namespaces, pods, stack, services);
    }

    /** The same lab with these Services. */
    public LabSpec withServices(List<ServiceSpec> services) {
        return new LabSpec(nodes, topology, backend, namespaces, pods, ipStack, services);
    }

    /**
     * A Service as a cluster file declares it: {@code type} {@code ClusterIP} or {@code NodePort}, a selector, ports
     * and {@code externalTrafficPolicy}. {@code clusterIp} and each port's {@code nodePort} may be left out (null,
     * 0): the lab allocates them, as the API server does. {@code targetPort} is a number or a container port's name.
     */
    public record ServiceSpec(String namespace, String name, String type, String clusterIp,
            Map<String, String> selector, List<ServicePortSpec> ports, String externalTrafficPolicy) {
        public ServiceSpec {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            type = type == null ? "ClusterIP" : type;
            if (!type.equals("ClusterIP") && !type.equals("NodePort")) {
                throw new IllegalArgumentException("Service " + namespace + "/" + name + ": type " + type
                        + " (the lab has ClusterIP and NodePort Services)");
            }
            selector = Map.copyOf(selector);
            ports = List.copyOf(ports);
            externalTrafficPolicy = externalTrafficPolicy == null ? "Cluster" : externalTrafficPolicy;
            if (!externalTrafficPolicy.equals("Cluster") && !externalTrafficPolicy.equals("Local")) {
                throw new IllegalArgumentException("Service " + namespace + "/" + name
                        + ": externalTrafficPolicy " + externalTrafficPolicy + " (want Cluster or Local)");
            }
        }

        public String key() {
            return namespace + "/" + name;
        }
    }

    /** One Service port; {@code targetPort} null means the same number as {@code port}. */
    public record ServicePortSpec(String name, int port, Protocol protocol, String targetPort, int nodePort) {
        public ServicePortSpec {
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    /** A namespace; the API server's {@code kubernetes.io/metadata.name} label is added when objects are made. */
    public record NamespaceSpec(String name, Map<String, String> labels) {
        public NamespaceSpec {
            Objects.requireNonNull(name, "name");
            labels = Map.copyOf(labels);
        }
    }

    /**
     * A pod: labels, declared container ports, a 1-based node index (0 = let the planner choose) and the IP it asks
     * for ({@code null} = the planner's next free one; otherwise it must lie in node {@code node}'s pod CIDR, which
     * {@link ManifestSpecLoader} makes sure of). A {@code hostNetwork} pod has no network namespace of its own: it
     * lives in its node's, serves its ports there and its IP is the node's, so it asks for none.
     */
    public record PodSpec(String namespace, String name, Map<String, String> labels, List<ContainerPort> ports,
            int node, String ip, boolean hostNetwork) {

        public PodSpec(String namespace, String name, Map<String, String> labels, List<ContainerPort> ports,
                int node) {
            this(namespace, name, labels, ports, node, null);
        }

        public PodSpec(String namespace, String name, Map<String, String> labels, List<ContainerPort> ports,
                int node, String ip) {
            this(namespace, name, labels, ports, node, ip, false);
        }

        public PodSpec {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            labels = Map.copyOf(new LinkedHashMap<>(labels));
            ports = List.copyOf(ports);
            if (node < 0) {
                throw new IllegalArgumentException("node index " + node + " of pod " + namespace + "/" + name);
            }
            if (ip != null && hostNetwork) {
                throw new IllegalArgumentException("hostNetwork pod " + namespace + "/" + name + " asks for " + ip
                        + ", but its IP is its node's");
            }
            if (ip != null && node == 0) {
                throw new IllegalArgumentException("pod " + namespace + "/" + name + " asks for " + ip
                        + " but not for a node");
            }
        }

        public String key() {
            return namespace + "/" + name;
        }

        /** The same pod on its node's network ({@code spec.hostNetwork: true}). */
        public PodSpec onHostNetwork() {
            return new PodSpec(namespace, name, labels, ports, node, null, true);
        }
    }
}
