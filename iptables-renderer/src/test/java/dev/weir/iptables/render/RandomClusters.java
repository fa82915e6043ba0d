package dev.weir.iptables.render;

import static dev.weir.iptables.render.Cluster.all;
import static dev.weir.iptables.render.Cluster.block;
import static dev.weir.iptables.render.Cluster.named;
import static dev.weir.iptables.render.Cluster.nsPods;
import static dev.weir.iptables.render.Cluster.pods;
import static dev.weir.iptables.render.Cluster.port;
import static dev.weir.iptables.render.Cluster.range;

import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.DenialLogging;
import dev.weir.model.LabelSelector;
import dev.weir.model.Peer;
import dev.weir.model.PodPhase;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.Rule;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleIndex;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Seeded random clusters covering every feature the renderer handles: two nodes (as Node objects too, for
 * {@code nodes} peers), dual-stack, hostNetwork, ports, pods claiming one address, NetworkPolicies and
 * ClusterNetworkPolicies of both tiers, namespaces with a denial-log setting and cluster policies with logged rules.
 */
final class RandomClusters {

    static final List<String> NODES = List.of("n1", "n2");
    static final List<String> NODE_IPS = List.of("192.168.0.1", "192.168.0.2");
    static final List<String> NODE_LABELS = List.of("role=infra", "role=worker");

    private static final List<Supplier<Peer>> PEERS = List.of(
            () -> pods("app=web"), () -> pods("app=db"), () -> pods(""),
            () -> nsPods("team=x", ""), () -> nsPods("", "app=api"), () -> nsPods("team=y", "app=db"),
            () -> block("10.0.0.0/16", "10.0.1.0/24"), () -> block("0.0.0.0/0"),
            () -> block("0.0.0.0/0", "10.0.0.0/8", "0.0.0.0/1"), () -> block("192.168.0.0/24"),
            () -> block("10.0.2.0/24"), () -> block("fd00::/64"), () -> block("::/0", "fd00::/120"));

    private static final List<Supplier<PortMatch>> PORTS = List.of(
            () -> port(Protocol.TCP, 80), () -> range(Protocol.TCP, 8000, 8100), () -> port(Protocol.UDP, 53),
            () -> all(Protocol.UDP), () -> port(Protocol.SCTP, 9000), () -> named(Protocol.TCP, "http"),
            () -> named(Protocol.UDP, "dns"), () -> named(Protocol.SCTP, "sig"));

    private RandomClusters() {
    }

    static Cluster generate(long seed) {
        Random r = new Random(seed);
        Cluster c = Cluster.cluster().namespace("a", "team=x").namespace("b", "team=y").namespace("c", "");
        for (int n = 0; n < NODES.size(); n++) {
            // now and then a node without its Node object: a nodes peer must then match nothing there
            if (r.nextInt(6) != 0) {
                c.node(NODES.get(n), NODE_LABELS.get(n), NODE_IPS.get(n));
            }
        }
        List<String> apps = List.of("web", "db", "api");
        boolean[] hostNetUsed = new boolean[NODES.size()];
        int pods = 6 + r.nextInt(6);
        List<String[]> podAddresses = new ArrayList<>(); // node and IPs of each pod that is no hostNetwork pod
        for (int i = 0; i < pods; i++) {
            String ns = List.of("a", "b", "c").get(r.nextInt(3));
            int node = r.nextInt(NODES.size());
            boolean host = !hostNetUsed[node] && r.nextInt(8) == 0;
            hostNetUsed[node] |= host;
            String ips = host ? NODE_IPS.get(node)
                    : "10.0." + r.nextInt(3) + "." + (i + 2) + (r.nextInt(3) == 0 ? ",fd00::" + (i + 2) : "");
            String app = apps.get(r.nextInt(apps.size()));
            PodPhase phase = r.nextInt(15) == 0 ? PodPhase.SUCCEEDED : PodPhase.RUNNING;
            int http = r.nextBoolean() ? 80 : 8080;
            boolean declares = r.nextInt(4) != 0;
            if (!host) {
                podAddresses.add(new String[] {NODES.get(node), ips});
            }
            c.pod(ns + "/p" + i, NODES.get(node), ips, p -> {
                p.labels("app=" + app).phase(phase);
                if (host) {
                    p.hostNetwork();
                }
                if (declares) {
                    p.port("http", http, Protocol.TCP).port("dns", 53, Protocol.UDP).port("sig", 9000, Protocol.SCTP);
                }
            });
        }
        addStalePods(c, podAddresses, new Random(seed * 7919 + 1));
        int policies = 1 + r.nextInt(4);
        for (int i = 0; i < policies; i++) {
            String ns = List.of("a", "b", "c").get(r.nextInt(3));
            String sel = r.nextInt(3) == 0 ? "" : "app=" + apps.get(r.nextInt(apps.size()));
            int typeChoice = r.nextInt(4);
            c.policy(ns + "/np" + i, p -> {
                p.select(sel);
                if (typeChoice == 1) {
                    p.types(PolicyType.INGRESS, PolicyType.EGRESS);
                } else if (typeChoice == 2) {
                    p.types(PolicyType.EGRESS);
                }
                for (int k = r.nextInt(3); k > 0; k--) {
                    p.ingress(rule(r));
                }
                for (int k = r.nextInt(3); k > 0; k--) {
                    p.egress(rule(r));
                }
            });
        }
        // logging changes no verdict: drawn from its own stream, so each seed's cluster is otherwise as it was
        Random logging = new Random(seed * 104_729 + 3);
        int clusterPolicies = r.nextInt(4);
        for (int i = 0; i < clusterPolicies; i++) {
            c.clusterPolicy(loggedRules(clusterPolicy(r, "cnp" + i), logging));
        }
        for (String ns : List.of("a", "b", "c")) {
            int pick = logging.nextInt(5);
            c.denialLogging(ns, pick == 0 ? DenialLogging.ON : pick == 1 ? DenialLogging.OFF : DenialLogging.DEFAULT);
        }
        return c;
    }

    /** None, all, or each rule by a coin: the policy's {@code weir.dev/log-rules}. */
    private static ClusterPolicy loggedRules(ClusterPolicy p, Random r) {
        int how = r.nextInt(3);
        TreeSet<RuleIndex> logged = new TreeSet<>();
        for (PolicyType direction : PolicyType.values()) {
            for (int i = 0; i < p.rules(direction).size(); i++) {
                if (how == 1 || (how == 2 && r.nextBoolean())) {
                    logged.add(new RuleIndex(direction, i));
                }
            }
        }
        return p.withLoggedRules(logged);
    }

    /**
     * Now and then pods that claim another pod's address, as an old Pod object does after its IP was handed to a new
     * pod: with a creation time (so they hold the address over the first pods, whose time is unknown) or without one
     * (so the first name holds it). Drawn from their own random stream, so the rest of a seed's cluster stays as it
     * was.
     */
    private static void addStalePods(Cluster c, List<String[]> podAddresses, Random r) {
        int stale = r.nextInt(3);
        for (int j = 0; j < stale && !podAddresses.isEmpty(); j++) {
            String[] taken = podAddresses.get(r.nextInt(podAddresses.size()));
            String ns = List.of("a", "b", "c").get(r.nextInt(3));
            String app = List.of("web", "db", "api").get(r.nextInt(3));
            String ips = r.nextBoolean() ? taken[1] : taken[1].split(",")[0];
            boolean known = r.nextBoolean();
            c.pod(ns + "/s" + j, taken[0], ips, p -> {
                p.labels("app=" + app).port("http", 8080, Protocol.TCP).port("dns", 53, Protocol.UDP);
                if (known) {
                    p.created("2026-05-01T10:00:0" + r.nextInt(2) + "Z");
                }
            });
        }
    }

    private static final List<Supplier<ClusterPolicyPeer>> CLUSTER_PEERS = List.of(
            () -> new ClusterPolicyPeer.Namespaces(selector("team=x")),
            () -> new ClusterPolicyPeer.Namespaces(LabelSelector.all()),
            () -> new ClusterPolicyPeer.Pods(LabelSelector.all(), selector("app=web")),
            () -> new ClusterPolicyPeer.Pods(selector("team=y"), selector("app=db")),
            () -> new ClusterPolicyPeer.Anywhere());

    private static final List<Supplier<ClusterPolicyPeer>> EGRESS_ONLY_PEERS = List.of(
            () -> networks("10.0.1.0/24"), () -> networks("0.0.0.0/0"), () -> networks("10.0.0.0/16", "fd00::/64"),
            () -> networks("192.168.0.0/24"), () -> networks("::/0"),
            () -> new ClusterPolicyPeer.Nodes(LabelSelector.all()),
            () -> new ClusterPolicyPeer.Nodes(selector("role=infra")),
            () -> new ClusterPolicyPeer.Nodes(selector("role=worker")));

    /** Either tier, priorities that tie, every action, every peer kind, numeric, protocol-wide and named ports. */
    private static ClusterPolicy clusterPolicy(Random r, String name) {
        Tier tier = r.nextInt(3) == 0 ? Tier.BASELINE : Tier.ADMIN;
        ClusterPolicySubject subject = switch (r.nextInt(3)) {
            case 0 -> new ClusterPolicySubject.Namespaces(LabelSelector.all());
            case 1 -> new ClusterPolicySubject.Namespaces(selector("team=" + (r.nextBoolean() ? "x" : "y")));
            default -> new ClusterPolicySubject.Pods(LabelSelector.all(),
                    selector("app=" + List.of("web", "db", "api").get(r.nextInt(3))));
        };
        return new ClusterPolicy(name, tier, List.of(1, 2, 5).get(r.nextInt(3)), subject, clusterRules(r, true),
                clusterRules(r, false));
    }

    private static List<ClusterPolicyRule> clusterRules(Random r, boolean ingress) {
        List<ClusterPolicyRule> rules = new ArrayList<>();
        for (int k = r.nextInt(4); k > 0; k--) {
            List<ClusterPolicyPeer> peers = new ArrayList<>();
            for (int j = 1 + r.nextInt(2); j > 0; j--) {
                boolean egressOnly = !ingress && r.nextInt(3) == 0;
                List<Supplier<ClusterPolicyPeer>> from = egressOnly ? EGRESS_ONLY_PEERS : CLUSTER_PEERS;
                peers.add(from.get(r.nextInt(from.size())).get());
            }
            boolean named = peers.stream().allMatch(ClusterPolicyPeer::hasNamedPorts);
            List<PortMatch> ports = new ArrayList<>();
            for (int j = r.nextInt(3); j > 0; j--) {
                if (named && r.nextInt(3) == 0) {
                    ports.addAll(ClusterPolicyRule.namedPortAnyProtocol(r.nextBoolean() ? "http" : "dns"));
                } else {
                    PortMatch p = PORTS.get(r.nextInt(PORTS.size())).get();
                    if (!(p instanceof PortMatch.Named)) {
                        ports.add(p);
                    }
                }
            }
            RuleAction action = RuleAction.values()[r.nextInt(3)];
            rules.add(new ClusterPolicyRule(r.nextBoolean() ? "" : "r" + k, action, peers, ports));
        }
        return rules;
    }

    private static ClusterPolicyPeer networks(String... cidrs) {
        return new ClusterPolicyPeer.Networks(java.util.Arrays.stream(cidrs).map(Cidr::parse).toList());
    }

    private static LabelSelector selector(String labels) {
        return Cluster.selector(labels);
    }

    private static Rule rule(Random r) {
        List<Peer> peers = new ArrayList<>();
        for (int k = r.nextInt(3); k > 0; k--) {
            peers.add(PEERS.get(r.nextInt(PEERS.size())).get());
        }
        List<PortMatch> ports = new ArrayList<>();
        for (int k = r.nextInt(3); k > 0; k--) {
            ports.add(PORTS.get(r.nextInt(PORTS.size())).get());
        }
        return new Rule(peers, ports);
    }
}
