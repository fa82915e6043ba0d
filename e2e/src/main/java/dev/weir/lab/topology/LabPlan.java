package dev.weir.lab.topology;

import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.spec.Topology;
import dev.weir.model.ContainerPort;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every name and address of a lab, decided before anything is created: the network namespaces, links and IPs that
 * {@link TopologyScript} builds and that the API server objects describe. Pure data (it is also what the state file
 * stores), so {@code weir lab down} and {@code status} need nothing but this.
 */
public record LabPlan(String prefix, Topology topology, Backend backend, String underlayNetns, String underlayGateway,
        List<NodePlan> nodes, List<PodPlan> pods, IpStack ipStack) {

    /** An IPv4 lab. */
    public LabPlan(String prefix, Topology topology, Backend backend, String underlayNetns, String underlayGateway,
            List<NodePlan> nodes, List<PodPlan> pods) {
        this(prefix, topology, backend, underlayNetns, underlayGateway, nodes, pods, IpStack.IPV4);
    }

    public LabPlan {
        Objects.requireNonNull(prefix, "prefix");
        ipStack = ipStack == null ? IpStack.IPV4 : ipStack; // a state file written before there was a choice
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
    }

    /** The address of the client outside the cluster, on the underlay (node ports are probed from it). */
    public static final String CLIENT_IP = "192.168.222.200";

    /** The network namespace of the client outside the cluster: a host on the underlay, neither node nor pod. */
    public String clientNetns() {
        return prefix + "client";
    }

    /** Every network namespace of the lab, in creation order (underlay, client, nodes, pods; hostNetwork pods have none). */
    public List<String> netnsNames() {
        List<String> out = new ArrayList<>();
        out.add(underlayNetns);
        out.add(clientNetns());
        nodes.forEach(n -> out.add(n.netns()));
        podNetworkPods().forEach(p -> out.add(p.netns()));
        return out;
    }

    /** The pods with a network namespace of their own (not hostNetwork), in plan order. */
    public List<PodPlan> podNetworkPods() {
        return pods.stream().filter(p -> !p.hostNetwork()).toList();
    }

    public NodePlan node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in the lab"));
    }

    public Optional<PodPlan> pod(String key) {
        return pods.stream().filter(p -> p.key().equals(key)).findFirst();
    }

    /** Every pod on {@code node}, hostNetwork pods included. */
    public List<PodPlan> podsOn(String node) {
        return pods.stream().filter(p -> p.node().equals(node)).toList();
    }

    /** The pods on {@code node} that have their own network namespace and veth (not hostNetwork). */
    public List<PodPlan> podNetworkPodsOn(String node) {
        return pods.stream().filter(p -> p.node().equals(node) && !p.hostNetwork()).toList();
    }

    /** The lab's IP families, primary first. */
    public List<IpFamily> families() {
        return ipStack.families();
    }

    public boolean has(IpFamily family) {
        return ipStack.has(family);
    }

    /** A pod's addresses, primary family first: its {@code status.podIPs}. */
    public List<String> addresses(PodPlan pod) {
        return families().stream().map(f -> pod.ip(f)).toList();
    }

    /** A pod's address of {@code family}; empty when the lab has no such family. */
    public Optional<String> address(PodPlan pod, IpFamily family) {
        return has(family) ? Optional.of(pod.ip(family)) : Optional.empty();
    }

    /** A node's underlay addresses, primary family first: its {@code InternalIP}s. */
    public List<String> underlayAddresses(NodePlan node) {
        return families().stream().map(f -> f == IpFamily.V4 ? node.underlayIp() : node.underlayIpv6()).toList();
    }

    /** A node's pod CIDRs, primary family first: its {@code spec.podCIDRs}. */
    public List<String> podCidrs(NodePlan node) {
        return families().stream().map(f -> f == IpFamily.V4 ? node.podCidr() : node.podCidrV6()).toList();
    }
    /**
     * A node: {@code name} is both its Kubernetes node name and its network namespace. {@code underlayIp} sits on its
     * {@code eth0}; {@code podCidr} is flannel's per-node subnet; {@code gateway} is the first address of it (on
     * {@code cni0} for flannel, and {@code .0} on {@code flannel.1} is the VTEP address); {@code vtepMac} is the fixed
     * MAC of {@code flannel.1} so other nodes can have static FDB and neighbour entries for it.
     */
    public record NodePlan(int index, String name, String underlayIp, String podCidr, String gateway, String vtepIp,
            String vtepMac, String underlayPort) {

        public String netns() {
            return name;
        }

        /** The IPv6 twins of the addresses above ({@link Ipv6Plan}); used when the lab has IPv6. */
        public String underlayIpv6() {
            return Ipv6Plan.underlay(index);
        }

        public String podCidrV6() {
            return Ipv6Plan.podCidr(index);
        }

        public String gatewayV6() {
            return Ipv6Plan.gateway(index);
        }

        public String vtepIpv6() {
            return Ipv6Plan.vtep(index);
        }

        public String vtepMacV6() {
            return Ipv6Plan.vtepMac(index);
        }
    }

    /**
     * A pod: its network namespace, its IP, the node it runs on and the host side of its veth ({@code eth0} inside).
     * A {@code hostNetwork} pod's namespace is its node's, its IP the node's underlay address (what the kubelet reports
     * as {@code status.podIP}) and it has no veth ({@code hostVeth} is {@code null}).
     */
    public record PodPlan(String namespace, String name, Map<String, String> labels, List<ContainerPort> ports,
            String node, String netns, String ip, String hostVeth, boolean hostNetwork) {

        public PodPlan(String namespace, String name, Map<String, String> labels, List<ContainerPort> ports,
                String node, String netns, String ip, String hostVeth) {
            this(namespace, name, labels, ports, node, netns, ip, hostVeth, false);
        }

        public PodPlan {
            labels = Map.copyOf(labels);
            ports = List.copyOf(ports);
            if (hostNetwork != (hostVeth == null)) {
                throw new IllegalArgumentException("pod " + namespace + "/" + name
                        + ": a pod has a veth exactly when it is not hostNetwork");
            }
        }

        public String key() {
            return namespace + "/" + name;
        }

        /**
         * The pod's address of {@code family}: {@link #ip} or its IPv6 twin ({@link Ipv6Plan#pod}), whether or not the
         * lab has that family ({@link LabPlan#address} asks).
         */
        public String ip(IpFamily family) {
            return family == IpFamily.V4 ? ip : Ipv6Plan.pod(ip);
        }

        /** The MAC of the pod's {@code eth0}: {@code 0a:58} and the four bytes of its IPv4 address. */
        public String mac() {
            StringBuilder m = new StringBuilder("0a:58");
            for (String octet : ip.split("\\.")) {
                m.append(String.format(":%02x", Integer.parseInt(octet)));
            }
            return m.toString();
        }
    }
}
