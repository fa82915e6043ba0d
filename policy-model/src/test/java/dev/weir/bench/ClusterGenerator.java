package dev.weir.bench;

import dev.weir.model.Cidr;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.LabelSelector.Operator;
import dev.weir.model.LabelSelector.Requirement;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic, deterministic cluster of a given size: namespaces labelled with a team and an environment, about 100
 * pods a node, pods labelled app/tier/version with named ports, and policies that mix the shapes real clusters use
 * (default deny, pod selectors, namespace selectors alone and with pod selectors, ipBlocks with excepts, named and
 * numeric ports, ranges, egress to DNS).
 */
public final class ClusterGenerator {

    static final int APPS_PER_NAMESPACE = 10;
    private static final String[] TIERS = {"front", "back", "db"};
    private static final String[] ENVS = {"prod", "staging", "dev"};

    private ClusterGenerator() {
    }

    /** A cluster of {@code pods} pods, {@code policies} policies and {@code namespaces} namespaces (seeded). */
    public static ClusterSnapshot generate(int pods, int policies, int namespaces, long seed) {
        Random random = new Random(seed);
        List<Namespace> nss = new ArrayList<>();
        for (int i = 0; i < namespaces; i++) {
            nss.add(namespace(i));
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            endpoints.add(pod(i, namespaces, pods, random));
        }
        List<NetworkPolicy> nps = new ArrayList<>();
        for (int i = 0; i < policies; i++) {
            nps.add(policy(i, namespaces, random));
        }
        return new ClusterSnapshot(nss, endpoints, nps);
    }

    public static String namespaceName(int i) {
        return String.format("ns-%04d", i);
    }

    public static Namespace namespace(int i) {
        return new Namespace(namespaceName(i), Map.of("team", "team-" + (i % 10), "env", ENVS[i % 3]));
    }

    /** Pod {@code i}: spread round-robin over namespaces, 100 pods a node, one IPv4 address each. */
    public static Endpoint pod(int i, int namespaces, int pods, Random random) {
        String ns = namespaceName(i % namespaces);
        int inNamespace = i / namespaces;
        Map<String, String> labels = Map.of("app", "app-" + (inNamespace % APPS_PER_NAMESPACE),
                "tier", TIERS[inNamespace % 3], "version", random.nextBoolean() ? "v1" : "v2");
        IpAddress ip = IpAddress.parse("10.0.0.0").plus(65536L + i);
        List<ContainerPort> ports = List.of(ContainerPort.named("http", random.nextBoolean() ? 8080 : 80, Protocol.TCP),
                ContainerPort.named("metrics", 9090, Protocol.TCP));
        return new Endpoint(ns, "pod-" + i, labels, List.of(ip), "node-" + (i % Math.max(1, pods / 100)), false,
                PodPhase.RUNNING, ports);
    }

    /** Policy {@code i}: one of ten shapes, in namespace {@code i % namespaces}. */
    public static NetworkPolicy policy(int i, int namespaces, Random random) {
        String ns = namespaceName(i % namespaces);
        String name = "np-" + i;
        LabelSelector app = LabelSelector.matchLabel("app", "app-" + random.nextInt(APPS_PER_NAMESPACE));
        Peer.Pods peerApp = Peer.Pods.inPolicyNamespace(
                LabelSelector.matchLabel("app", "app-" + random.nextInt(APPS_PER_NAMESPACE)));
        LabelSelector team = LabelSelector.matchLabel("team", "team-" + random.nextInt(10));
        PortMatch http = new PortMatch.Named(Protocol.TCP, "http");
        return switch (i / namespaces % 10) {
            case 0 -> new NetworkPolicy(ns, name, LabelSelector.all(), List.of(PolicyType.INGRESS), List.of(),
                    List.of());
            case 1 -> np(ns, name, app, List.of(new Rule(List.of(peerApp), List.of(tcp(8080)))), List.of());
            case 2 -> np(ns, name, app, List.of(new Rule(List.of(new Peer.Pods(team, peerApp.podSelector())),
                    List.of(http))), List.of());
            case 3 -> np(ns, name, app, List.of(), List.of(
                    new Rule(List.of(new Peer.IpBlock(Cidr.parse("0.0.0.0/0"), List.of(Cidr.parse("10.0.0.0/8"),
                            Cidr.parse("169.254.0.0/16")))), List.of(tcp(443))),
                    new Rule(List.of(peerApp), List.of())));
            case 4 -> np(ns, name, app, List.of(new Rule(List.of(new Peer.Pods(
                    LabelSelector.matchLabel("env", ENVS[random.nextInt(3)]), LabelSelector.all())), List.of())),
                    List.of());
            case 5 -> np(ns, name, new LabelSelector(List.of(new Requirement("tier", Operator.IN,
                    List.of("front", "back")))), List.of(new Rule(List.of(Peer.Pods.inPolicyNamespace(
                            new LabelSelector(List.of(new Requirement("tier", Operator.NOT_IN, List.of("db")))))),
                    List.of(http, tcp(8443)))), List.of());
            case 6 -> np(ns, name, app, List.of(new Rule(List.of(new Peer.IpBlock(
                    Cidr.parse("192.168." + random.nextInt(256) + ".0/24"), List.of())), List.of())), List.of());
            case 7 -> np(ns, name, LabelSelector.all(), List.of(), List.of(new Rule(List.of(new Peer.Pods(
                    LabelSelector.matchLabel(Namespace.NAME_LABEL, namespaceName(0)),
                    LabelSelector.matchLabel("app", "app-0"))), List.of(PortMatch.Range.single(Protocol.UDP, 53),
                    tcp(53)))));
            case 8 -> np(ns, name, app, List.of(new Rule(List.of(new Peer.Pods(LabelSelector.all(),
                    LabelSelector.matchLabel("app", "app-9"))), List.of(new PortMatch.Named(Protocol.TCP,
                    "metrics")))), List.of());
            default -> np(ns, name, app, List.of(new Rule(List.of(new Peer.Pods(team, LabelSelector.all()),
                    peerApp), List.of(new PortMatch.Range(Protocol.TCP, 30000, 32767)))), List.of());
        };
    }

    private static NetworkPolicy np(String ns, String name, LabelSelector select, List<Rule> ingress,
            List<Rule> egress) {
        return new NetworkPolicy(ns, name, select, List.of(), ingress, egress);
    }

    private static PortMatch tcp(int port) {
        return PortMatch.Range.single(Protocol.TCP, port);
    }
}
