package dev.weir.graph;

import dev.weir.model.ClusterObject;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Small builders that make a test read like the manifest it stands for. */
public final class Fixtures {

    private Fixtures() {
    }

    // ---- policies ----

    public static NetworkPolicy policy(String name, String namespace, Consumer<PolicyBuilder> spec) {
        PolicyBuilder b = new PolicyBuilder();
        spec.accept(b);
        return new NetworkPolicy(namespace, name, b.podSelector, b.types, b.ingress, b.egress);
    }

    public static final class PolicyBuilder {
        private LabelSelector podSelector = LabelSelector.all();
        private final List<PolicyType> types = new ArrayList<>();
        private final List<Rule> ingress = new ArrayList<>();
        private final List<Rule> egress = new ArrayList<>();

        public PolicyBuilder select(LabelSelector selector) {
            podSelector = selector;
            return this;
        }

        public PolicyBuilder select(String key, String value) {
            return select(LabelSelector.matchLabel(key, value));
        }

        public PolicyBuilder types(PolicyType... declared) {
            types.addAll(Arrays.asList(declared));
            return this;
        }

        /** One ingress rule with these peers and every port ({@code from: [...]}). */
        public PolicyBuilder ingressFrom(Peer... peers) {
            ingress.add(new Rule(List.of(peers), List.of()));
            return this;
        }

        public PolicyBuilder egressTo(Peer... peers) {
            egress.add(new Rule(List.of(peers), List.of()));
            return this;
        }

        public PolicyBuilder ingress(Consumer<RuleBuilder> rule) {
            ingress.add(rule(rule));
            return this;
        }

        public PolicyBuilder egress(Consumer<RuleBuilder> rule) {
            egress.add(rule(rule));
            return this;
        }
    }

    public static Rule rule(Consumer<RuleBuilder> spec) {
        RuleBuilder b = new RuleBuilder();
        spec.accept(b);
        return new Rule(b.peers, b.ports);
    }

    public static final class RuleBuilder {
        private final List<Peer> peers = new ArrayList<>();
        private final List<PortMatch> ports = new ArrayList<>();

        public RuleBuilder peers(Peer... more) {
            peers.addAll(Arrays.asList(more));
            return this;
        }

        public RuleBuilder ports(PortMatch... more) {
            ports.addAll(Arrays.asList(more));
            return this;
        }
    }

    // ---- peers ----

    /** {@code podSelector: {key: value}} alone: pods of the policy's namespace. */
    public static Peer.Pods pods(String key, String value) {
        return Peer.Pods.inPolicyNamespace(LabelSelector.matchLabel(key, value));
    }

    /** {@code podSelector: {}} alone: every pod of the policy's namespace. */
    public static Peer.Pods allPodsHere() {
        return Peer.Pods.inPolicyNamespace(LabelSelector.all());
    }

    /** {@code namespaceSelector: {key: value}} alone: every pod of matching namespaces. */
    public static Peer.Pods namespaces(String key, String value) {
        return new Peer.Pods(LabelSelector.matchLabel(key, value), LabelSelector.all());
    }

    /** namespaceSelector and podSelector in one peer (ANDed). */
    public static Peer.Pods podsIn(LabelSelector namespaceSelector, LabelSelector podSelector) {
        return new Peer.Pods(namespaceSelector, podSelector);
    }

    public static Peer.IpBlock ipBlock(String cidr, String... except) {
        return new Peer.IpBlock(dev.weir.model.Cidr.parse(cidr),
                Arrays.stream(except).map(dev.weir.model.Cidr::parse).toList());
    }

    // ---- ports ----

    public static PortMatch tcp(int port) {
        return PortMatch.Range.single(Protocol.TCP, port);
    }

    public static PortMatch udp(int port) {
        return PortMatch.Range.single(Protocol.UDP, port);
    }

    public static PortMatch sctp(int port) {
        return PortMatch.Range.single(Protocol.SCTP, port);
    }

    public static PortMatch range(Protocol protocol, int first, int last) {
        return new PortMatch.Range(protocol, first, last);
    }

    public static PortMatch named(String name) {
        return new PortMatch.Named(Protocol.TCP, name);
    }

    public static PortMatch anyPort(Protocol protocol) {
        return new PortMatch.AllPorts(protocol);
    }

    // ---- namespaces and pods ----

    public static Namespace ns(String name, String... keyValues) {
        return new Namespace(name, pairs(keyValues));
    }

    /** A running pod; without {@code ip(...)} the {@link Cluster} gives it the next free 10.1.x.y. */
    public static PodBuilder pod(String namespace, String name) {
        return new PodBuilder(namespace, name);
    }

    public static final class PodBuilder {
        final String namespace;
        final String name;
        final Map<String, String> labels = new LinkedHashMap<>();
        List<IpAddress> ips;
        String node = "node-1";
        boolean hostNetwork;
        PodPhase phase = PodPhase.RUNNING;
        final List<ContainerPort> ports = new ArrayList<>();
        Instant created;

        PodBuilder(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }

        public PodBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public PodBuilder ip(String... addresses) {
            ips = Arrays.stream(addresses).map(IpAddress::parse).toList();
            return this;
        }

        public PodBuilder noIp() {
            ips = List.of();
            return this;
        }

        public PodBuilder node(String n) {
            node = n;
            return this;
        }

        public PodBuilder hostNetwork() {
            hostNetwork = true;
            return this;
        }

        public PodBuilder phase(PodPhase p) {
            phase = p;
            return this;
        }

        /** {@code metadata.creationTimestamp}, e.g. {@code 2026-05-01T10:00:00Z}. */
        public PodBuilder created(String timestamp) {
            created = Instant.parse(timestamp);
            return this;
        }

        public PodBuilder port(String portName, int number, Protocol protocol) {
            ports.add(ContainerPort.named(portName, number, protocol));
            return this;
        }

        public Endpoint build(List<IpAddress> defaultIps) {
            return new Endpoint(namespace, name, labels, ips != null ? ips : defaultIps, node, hostNetwork, phase, ports,
                    created);
        }

        public Endpoint build() {
            return build(List.of());
        }
    }

    static Map<String, String> pairs(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /**
     * The cluster objects a graph was built from, as a snapshot: what a fresh compile of the same state reads. Pods
     * are their records as reported, with every address they claim.
     */
    public static ClusterSnapshot snapshotOf(PolicyGraph g) {
        List<ClusterObject> objects = new ArrayList<>(g.namespaces().values());
        g.endpoints().keySet().forEach(k -> objects.add(g.reportedEndpoint(k)));
        objects.addAll(g.nodes().values());
        g.policies().values().forEach(p -> objects.add(p.source()));
        return ClusterSnapshot.of(objects);
    }
}
