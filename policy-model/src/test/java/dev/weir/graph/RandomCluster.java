package dev.weir.graph;

import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.LabelSelector.Operator;
import dev.weir.model.LabelSelector.Requirement;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.ObjectKey;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random cluster events over small name pools, so that objects are created, changed and deleted again and selectors
 * keep matching and unmatching. Pods draw their addresses from a pool smaller than their number, so live pods often
 * claim one address. Deterministic for a seed.
 */
final class RandomCluster {

    private static final String[] NAMESPACES = {"a", "b", "c", "d"};
    private static final String[] APPS = {"web", "db", "api"};
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private final Random random;
    private final Map<String, Endpoint> lastPods = new HashMap<>();

    RandomCluster(long seed) {
        random = new Random(seed);
    }

    ClusterEvent nextEvent() {
        int kind = random.nextInt(14);
        String ns = pick(NAMESPACES);
        if (kind >= 12) {
            String name = "n" + random.nextInt(3);
            return random.nextInt(5) == 0 ? new ClusterEvent.Deleted(ObjectKey.node(name))
                    : new ClusterEvent.Upserted(node(name));
        }
        if (kind < 5) {
            String name = "p" + random.nextInt(6);
            Endpoint last = lastPods.get(ns + "/" + name);
            int how = random.nextInt(10);
            if (how == 0) {
                lastPods.remove(ns + "/" + name);
                return new ClusterEvent.Deleted(ObjectKey.pod(ns, name));
            }
            Endpoint next = last != null && how > 3 ? mutate(last) : pod(ns, name);
            lastPods.put(next.key().namespacedName(), next);
            return new ClusterEvent.Upserted(next);
        }
        if (kind < 7) {
            return random.nextInt(4) == 0 ? new ClusterEvent.Deleted(ObjectKey.namespace(ns))
                    : new ClusterEvent.Upserted(namespace(ns));
        }
        if (kind >= 10) {
            String cnp = "cnp" + random.nextInt(4);
            return random.nextInt(5) == 0 ? new ClusterEvent.Deleted(ObjectKey.clusterNetworkPolicy(cnp))
                    : new ClusterEvent.Upserted(clusterPolicy(cnp));
        }
        String name = "np" + random.nextInt(4);
        return random.nextInt(4) == 0 ? new ClusterEvent.Deleted(ObjectKey.networkPolicy(ns, name))
                : new ClusterEvent.Upserted(policy(ns, name));
    }

    Namespace namespace(String name) {
        Map<String, String> labels = new HashMap<>();
        if (random.nextBoolean()) {
            labels.put("team", pick("x", "y"));
        }
        if (random.nextBoolean()) {
            labels.put("env", pick("prod", "dev"));
        }
        return new Namespace(name, labels);
    }

    /**
     * A node with random labels and addresses from the pods' own pool, so hostNetwork pods (and, rarely, others) hold a
     * node's address as they do in a cluster.
     */
    Node node(String name) {
        Map<String, String> labels = new HashMap<>();
        if (random.nextBoolean()) {
            labels.put("role", pick("infra", "worker"));
        }
        if (random.nextBoolean()) {
            labels.put("zone", pick("z1", "z2"));
        }
        List<IpAddress> addresses = new ArrayList<>();
        int choice = random.nextInt(8);
        if (choice > 0) {
            addresses.add(IpAddress.parse("10.0." + random.nextInt(3) + "." + random.nextInt(4)));
        }
        if (choice > 5) {
            addresses.add(IpAddress.parse("fd00::" + random.nextInt(4)));
        }
        return new Node(name, labels, addresses);
    }

    /**
     * The same pod with one thing changed: a label, its IPs, its phase, hostNetwork, its ports or its node (never its
     * creation time, which the API server fixes; a fresh {@link #pod} of the same name stands for a recreated one).
     */
    private Endpoint mutate(Endpoint e) {
        Endpoint fresh = pod(e.namespace(), e.name());
        return switch (random.nextInt(6)) {
            case 0 -> new Endpoint(e.namespace(), e.name(), fresh.labels(), e.ips(), e.node(), e.hostNetwork(),
                    e.phase(), e.ports(), e.created());
            case 1 -> new Endpoint(e.namespace(), e.name(), e.labels(), fresh.ips(), e.node(), e.hostNetwork(),
                    e.phase(), e.ports(), e.created());
            case 2 -> new Endpoint(e.namespace(), e.name(), e.labels(), e.ips(), e.node(), e.hostNetwork(),
                    pick(PodPhase.values()), e.ports(), e.created());
            case 3 -> new Endpoint(e.namespace(), e.name(), e.labels(), e.ips(), e.node(), !e.hostNetwork(),
                    e.phase(), e.ports(), e.created());
            case 4 -> new Endpoint(e.namespace(), e.name(), e.labels(), e.ips(), e.node(), e.hostNetwork(),
                    e.phase(), fresh.ports(), e.created());
            default -> new Endpoint(e.namespace(), e.name(), e.labels(), e.ips(), fresh.node(), e.hostNetwork(),
                    e.phase(), e.ports(), e.created());
        };
    }

    Endpoint pod(String ns, String name) {
        Map<String, String> labels = new HashMap<>();
        if (random.nextInt(5) > 0) {
            labels.put("app", pick(APPS));
        }
        if (random.nextBoolean()) {
            labels.put("tier", pick("t1", "t2"));
        }
        List<IpAddress> ips = new ArrayList<>();
        int ipChoice = random.nextInt(10);
        if (ipChoice > 0) {
            ips.add(IpAddress.parse("10.0." + random.nextInt(3) + "." + random.nextInt(4)));
        }
        if (ipChoice > 7) {
            ips.add(IpAddress.parse("fd00::" + random.nextInt(4)));
        }
        List<ContainerPort> ports = new ArrayList<>();
        if (random.nextBoolean()) {
            ports.add(ContainerPort.named("http", pick(80, 8080), Protocol.TCP));
        }
        PodPhase phase = random.nextInt(8) == 0 ? pick(PodPhase.SUCCEEDED, PodPhase.FAILED, PodPhase.PENDING)
                : PodPhase.RUNNING;
        // few creation times, some unknown, so that pods sharing an address meet every rule of who holds it
        Instant created = pick(null, CREATED, CREATED.plusSeconds(1), CREATED.plusSeconds(2));
        return new Endpoint(ns, name, labels, ips, "n" + random.nextInt(3), random.nextInt(10) == 0, phase, ports,
                created);
    }

    NetworkPolicy policy(String ns, String name) {
        List<PolicyType> types = new ArrayList<>();
        int t = random.nextInt(4);
        if (t == 1 || t == 3) {
            types.add(PolicyType.INGRESS);
        }
        if (t >= 2) {
            types.add(PolicyType.EGRESS);
        }
        return new NetworkPolicy(ns, name, selector(), types, rules(), rules());
    }

    /**
     * A random ClusterNetworkPolicy: either tier, few priorities (so ties happen), every action, every peer kind
     * weir reads, numeric, protocol-wide and named ports.
     */
    ClusterPolicy clusterPolicy(String name) {
        Tier tier = random.nextInt(3) == 0 ? Tier.BASELINE : Tier.ADMIN;
        ClusterPolicySubject subject = random.nextBoolean()
                ? new ClusterPolicySubject.Namespaces(namespaceSelector())
                : new ClusterPolicySubject.Pods(namespaceSelector(), selector());
        return new ClusterPolicy(name, tier, pick(1, 2, 5), subject, clusterRules(true), clusterRules(false));
    }

    private List<ClusterPolicyRule> clusterRules(boolean ingress) {
        List<ClusterPolicyRule> rules = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            List<ClusterPolicyPeer> peers = new ArrayList<>();
            int p = 1 + random.nextInt(2);
            for (int j = 0; j < p; j++) {
                peers.add(clusterPeer(ingress));
            }
            boolean podsOnly = peers.stream().allMatch(ClusterPolicyPeer::hasNamedPorts);
            List<PortMatch> ports = new ArrayList<>();
            int q = random.nextInt(3);
            for (int j = 0; j < q; j++) {
                int kind = random.nextInt(podsOnly ? 4 : 3);
                switch (kind) {
                    case 0 -> ports.add(PortMatch.Range.single(Protocol.TCP, 80));
                    case 1 -> ports.add(new PortMatch.AllPorts(Protocol.UDP));
                    case 2 -> ports.add(new PortMatch.Range(Protocol.TCP, 8000, 8080));
                    default -> ports.addAll(ClusterPolicyRule.namedPortAnyProtocol("http"));
                }
            }
            rules.add(new ClusterPolicyRule(random.nextBoolean() ? "" : "r" + i, pick(RuleAction.values()), peers,
                    ports));
        }
        return rules;
    }

    private ClusterPolicyPeer clusterPeer(boolean ingress) {
        int kind = random.nextInt(ingress ? 3 : 6);
        return switch (kind) {
            case 0 -> new ClusterPolicyPeer.Namespaces(namespaceSelector());
            case 1 -> new ClusterPolicyPeer.Pods(namespaceSelector(), selector());
            case 2 -> random.nextInt(4) == 0 ? new ClusterPolicyPeer.Anywhere()
                    : new ClusterPolicyPeer.Pods(LabelSelector.all(), selector());
            case 3, 4 -> new ClusterPolicyPeer.Networks(List.of(Cidr.parse(pick("10.0.0.0/16", "10.0.1.0/24",
                    "10.0.2.3/32", "fd00::/64", "0.0.0.0/0"))));
            default -> new ClusterPolicyPeer.Nodes(nodeSelector());
        };
    }

    private List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            List<Peer> peers = new ArrayList<>();
            int p = random.nextInt(3);
            for (int j = 0; j < p; j++) {
                peers.add(peer());
            }
            List<PortMatch> ports = new ArrayList<>();
            if (random.nextBoolean()) {
                ports.add(pick(PortMatch.Range.single(Protocol.TCP, 80), new PortMatch.Named(Protocol.TCP, "http"),
                        new PortMatch.AllPorts(Protocol.UDP)));
            }
            rules.add(new Rule(peers, ports));
        }
        return rules;
    }

    private Peer peer() {
        return switch (random.nextInt(4)) {
            case 0 -> Peer.Pods.inPolicyNamespace(selector());
            case 1 -> new Peer.Pods(namespaceSelector(), LabelSelector.all());
            case 2 -> new Peer.Pods(namespaceSelector(), selector());
            default -> random.nextBoolean()
                    ? new Peer.IpBlock(Cidr.parse("10.0.0.0/16"), List.of(Cidr.parse("10.0." + random.nextInt(3)
                            + ".0/24")))
                    : new Peer.IpBlock(Cidr.parse(pick("fd00::/64", "10.0.1.0/24")), List.of());
        };
    }

    private LabelSelector selector() {
        return switch (random.nextInt(7)) {
            case 0 -> LabelSelector.all();
            case 1 -> LabelSelector.matchLabel("app", pick(APPS));
            case 2 -> new LabelSelector(List.of(new Requirement("app", Operator.NOT_IN, List.of(pick(APPS)))));
            case 3 -> new LabelSelector(List.of(new Requirement("tier", Operator.EXISTS, List.of())));
            case 4 -> new LabelSelector(List.of(new Requirement("tier", Operator.DOES_NOT_EXIST, List.of())));
            case 5 -> LabelSelector.matchLabels(Map.of("app", pick(APPS), "tier", pick("t1", "t2")));
            default -> new LabelSelector(List.of(new Requirement("app", Operator.IN, List.of("web", "db")),
                    new Requirement("tier", Operator.NOT_IN, List.of("t2"))));
        };
    }

    private LabelSelector nodeSelector() {
        return switch (random.nextInt(4)) {
            case 0 -> LabelSelector.all();
            case 1 -> LabelSelector.matchLabel("role", pick("infra", "worker"));
            case 2 -> new LabelSelector(List.of(new Requirement("zone", Operator.EXISTS, List.of())));
            default -> new LabelSelector(List.of(new Requirement("role", Operator.NOT_IN, List.of("infra"))));
        };
    }

    private LabelSelector namespaceSelector() {
        return switch (random.nextInt(5)) {
            case 0 -> LabelSelector.all();
            case 1 -> LabelSelector.matchLabel("team", pick("x", "y"));
            case 2 -> new LabelSelector(List.of(new Requirement("env", Operator.NOT_IN, List.of("prod"))));
            case 3 -> LabelSelector.matchLabel(Namespace.NAME_LABEL, pick(NAMESPACES));
            default -> new LabelSelector(List.of(new Requirement("env", Operator.EXISTS, List.of())));
        };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
