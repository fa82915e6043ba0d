package dev.weir.iptables.render;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.DenialLogging;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Test fixture: a small cluster written in a few lines, compiled to a graph. */
final class Cluster {

    private final Map<String, Namespace> namespaces = new TreeMap<>();
    private final List<Endpoint> pods = new ArrayList<>();
    private final List<NetworkPolicy> policies = new ArrayList<>();
    private final List<ClusterPolicy> clusterPolicies = new ArrayList<>();
    private final Map<String, Node> nodes = new TreeMap<>();

    static Cluster cluster() {
        return new Cluster();
    }

    /** A namespace with labels {@code "k=v,k2=v2"} (plus kubernetes.io/metadata.name). */
    Cluster namespace(String name, String labels) {
        Map<String, String> l = new TreeMap<>(labels(labels));
        l.put("kubernetes.io/metadata.name", name);
        namespaces.put(name, new Namespace(name, l));
        return this;
    }

    /** The namespace (created without labels if not there yet) with its {@code weir.dev/log-denials} setting. */
    Cluster denialLogging(String name, DenialLogging logging) {
        if (!namespaces.containsKey(name)) {
            namespace(name, "");
        }
        Namespace ns = namespaces.get(name);
        namespaces.put(name, new Namespace(name, ns.labels(), logging));
        return this;
    }

    /** A running pod {@code "ns/name"} on {@code node} with comma-separated IPs. */
    Cluster pod(String key, String node, String ips, Consumer<PodSpec> spec) {
        PodSpec p = new PodSpec();
        spec.accept(p);
        String[] kn = key.split("/");
        if (!namespaces.containsKey(kn[0])) {
            namespace(kn[0], "");
        }
        List<IpAddress> addrs = ips.isEmpty() ? List.of()
                : Arrays.stream(ips.split(",")).map(IpAddress::parse).toList();
        pods.add(new Endpoint(kn[0], kn[1], p.labels, addrs, node, p.hostNetwork, p.phase, p.ports, p.created));
        return this;
    }

    Cluster pod(String key, String node, String ips, String labels) {
        return pod(key, node, ips, p -> p.labels(labels));
    }

    /** A policy {@code "ns/name"}. */
    Cluster policy(String key, Consumer<PolicySpec> spec) {
        PolicySpec p = new PolicySpec();
        spec.accept(p);
        String[] kn = key.split("/");
        policies.add(new NetworkPolicy(kn[0], kn[1], p.podSelector, p.types, p.ingress, p.egress));
        return this;
    }

    /** A Node object with labels {@code "k=v,k2=v2"} and comma-separated {@code status.addresses}. */
    Cluster node(String name, String labels, String addresses) {
        nodes.put(name, new Node(name, labels(labels), addresses.isEmpty() ? List.of()
                : Arrays.stream(addresses.split(",")).map(IpAddress::parse).toList()));
        return this;
    }

    /** A ClusterNetworkPolicy. */
    Cluster clusterPolicy(ClusterPolicy p) {
        clusterPolicies.add(p);
        return this;
    }

    ClusterSnapshot snapshot() {
        return new ClusterSnapshot(List.copyOf(namespaces.values()), pods, policies, clusterPolicies,
                List.copyOf(nodes.values()));
    }

    PolicyGraph graph() {
        return PolicyCompiler.compile(snapshot());
    }

    static final class PodSpec {
        Map<String, String> labels = Map.of();
        boolean hostNetwork;
        PodPhase phase = PodPhase.RUNNING;
        List<ContainerPort> ports = new ArrayList<>();
        Instant created;

        PodSpec labels(String l) {
            labels = Cluster.labels(l);
            return this;
        }

        PodSpec port(String name, int number, Protocol protocol) {
            ports.add(ContainerPort.named(name, number, protocol));
            return this;
        }

        PodSpec hostNetwork() {
            hostNetwork = true;
            return this;
        }

        PodSpec phase(PodPhase p) {
            phase = p;
            return this;
        }

        /** {@code metadata.creationTimestamp}, e.g. {@code 2026-05-01T10:00:00Z}. */
        PodSpec created(String timestamp) {
            created = Instant.parse(timestamp);
            return this;
        }
    }

    static final class PolicySpec {
        LabelSelector podSelector = LabelSelector.all();
        List<PolicyType> types = new ArrayList<>();
        List<Rule> ingress = new ArrayList<>();
        List<Rule> egress = new ArrayList<>();

        PolicySpec select(String labels) {
            podSelector = selector(labels);
            return this;
        }

        PolicySpec types(PolicyType... t) {
            types = List.of(t);
            return this;
        }

        PolicySpec ingress(Rule r) {
            ingress.add(r);
            return this;
        }

        PolicySpec egress(Rule r) {
            egress.add(r);
            return this;
        }
    }

    static Rule rule(List<Peer> peers, PortMatch... ports) {
        return new Rule(peers, List.of(ports));
    }

    static List<Peer> peers(Peer... p) {
        return List.of(p);
    }

    static List<Peer> anyPeer() {
        return List.of();
    }

    /** Pods of the policy's namespace. */
    static Peer pods(String labels) {
        return Peer.Pods.inPolicyNamespace(selector(labels));
    }

    /** Pods matching {@code podLabels} in namespaces matching {@code nsLabels} (both may be empty). */
    static Peer nsPods(String nsLabels, String podLabels) {
        return new Peer.Pods(selector(nsLabels), selector(podLabels));
    }

    static Peer block(String cidr, String... except) {
        return new Peer.IpBlock(Cidr.parse(cidr), Arrays.stream(except).map(Cidr::parse).toList());
    }

    static PortMatch tcp(int port) {
        return PortMatch.Range.single(Protocol.TCP, port);
    }

    static PortMatch port(Protocol p, int port) {
        return PortMatch.Range.single(p, port);
    }

    static PortMatch range(Protocol p, int first, int last) {
        return new PortMatch.Range(p, first, last);
    }

    static PortMatch named(Protocol p, String name) {
        return new PortMatch.Named(p, name);
    }

    static PortMatch all(Protocol p) {
        return new PortMatch.AllPorts(p);
    }

    static LabelSelector selector(String labels) {
        return LabelSelector.matchLabels(labels(labels));
    }

    static Map<String, String> labels(String text) {
        Map<String, String> m = new TreeMap<>();
        if (text.isBlank()) {
            return m;
        }
        for (String kv : text.split(",")) {
            String[] p = kv.split("=", 2);
            m.put(p[0].trim(), p[1].trim());
        }
        return m;
    }
}
