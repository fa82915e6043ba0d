package dev.weir.iptables.render;

import static dev.weir.iptables.render.Cluster.all;
import static dev.weir.iptables.render.Cluster.anyPeer;
import static dev.weir.iptables.render.Cluster.block;
import static dev.weir.iptables.render.Cluster.named;
import static dev.weir.iptables.render.Cluster.nsPods;
import static dev.weir.iptables.render.Cluster.peers;
import static dev.weir.iptables.render.Cluster.pods;
import static dev.weir.iptables.render.Cluster.port;
import static dev.weir.iptables.render.Cluster.range;
import static dev.weir.iptables.render.Cluster.rule;
import static dev.weir.iptables.render.Cluster.tcp;

import dev.weir.graph.PolicyGraph;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.DenialLogging;
import dev.weir.model.LabelSelector;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.RuleIndex;
import dev.weir.model.admin.Tier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The golden cases, keyed by the directory under {@code src/test/resources/golden/} that holds their expected output.
 * Every case renders node {@code n1} of a cluster built on {@link #base()}.
 */
final class GoldenCases {

    static final String NODE = "n1";

    private GoldenCases() {
    }

    /**
     * Two namespaces, four pods: {@code prod/web} (n1, declares http=8080), {@code prod/db} (n1, http=80),
     * {@code prod/api} (n2), {@code dev/tool} (n2, http=9090).
     */
    static Cluster base() {
        return Cluster.cluster().namespace("prod", "team=a").namespace("dev", "team=b")
                .pod("prod/web", "n1", "10.0.1.2", p -> p.labels("app=web").port("http", 8080, Protocol.TCP))
                .pod("prod/db", "n1", "10.0.1.3", p -> p.labels("app=db").port("http", 80, Protocol.TCP))
                .pod("prod/api", "n2", "10.0.2.2", "app=api")
                .pod("dev/tool", "n2", "10.0.2.3", p -> p.labels("app=tool").port("http", 9090, Protocol.TCP));
    }

    static final Map<String, Supplier<Cluster>> CASES = new TreeMap<>(Map.ofEntries(
            Map.entry("deny-all-ingress", () -> base().policy("prod/deny", p -> p.types(PolicyType.INGRESS))),
            Map.entry("allow-from-pods", () -> base().policy("prod/db-from-web",
                    p -> p.select("app=db").ingress(rule(peers(pods("app=web")), tcp(5432))))),
            Map.entry("namespace-selector", () -> base().policy("prod/from-dev",
                    p -> p.select("app=web").ingress(rule(peers(nsPods("team=b", "")))))),
            Map.entry("and-peer", () -> base().policy("prod/tool-from-dev",
                    p -> p.select("app=web").ingress(rule(peers(nsPods("team=b", "app=tool")), tcp(80))))),
            Map.entry("ipblock-except", () -> base().policy("prod/from-office",
                    p -> p.select("app=web").ingress(rule(peers(block("172.16.0.0/12", "172.16.5.0/24",
                            "172.17.0.1/32")))))),
            Map.entry("ipblock-slash-zero", () -> base().policy("prod/egress-internet",
                    p -> p.select("app=web").types(PolicyType.EGRESS)
                            .egress(rule(peers(block("0.0.0.0/0", "10.0.0.0/8")), tcp(443))))),
            Map.entry("named-port-ingress", () -> base().policy("prod/http-in",
                    p -> p.ingress(rule(anyPeer(), named(Protocol.TCP, "http"))))),
            Map.entry("named-port-egress", () -> base().policy("prod/http-out",
                    p -> p.select("app=web").types(PolicyType.EGRESS)
                            .egress(rule(peers(nsPods("", "")), named(Protocol.TCP, "http"))))),
            Map.entry("end-port", () -> base().policy("prod/range",
                    p -> p.select("app=db").ingress(rule(peers(pods("")), range(Protocol.TCP, 32000, 32767))))),
            Map.entry("udp", () -> base().policy("prod/dns",
                    p -> p.select("app=web").types(PolicyType.EGRESS)
                            .egress(rule(anyPeer(), port(Protocol.UDP, 53), all(Protocol.UDP))))),
            Map.entry("sctp", () -> base().policy("prod/signalling",
                    p -> p.select("app=db").ingress(rule(peers(pods("app=web")), port(Protocol.SCTP, 3868),
                            range(Protocol.SCTP, 2905, 2910))))),
            Map.entry("egress-deny-all", () -> base().policy("prod/no-egress",
                    p -> p.types(PolicyType.EGRESS))),
            Map.entry("ipv6-ipblock", () -> base()
                    .pod("prod/web6", "n1", "fd00:1::2", p -> p.labels("app=web"))
                    .policy("prod/v6-office", p -> p.select("app=web")
                            .ingress(rule(peers(block("2001:db8::/32", "2001:db8:1::/48"), block("192.0.2.0/24")),
                                    tcp(443))))),
            Map.entry("dual-stack-pod", () -> base()
                    .pod("prod/edge", "n1", "10.0.1.9,fd00:1::9", "app=edge")
                    .pod("dev/client", "n2", "10.0.2.9,fd00:2::9", "app=client")
                    .policy("prod/edge-in", p -> p.select("app=edge")
                            .ingress(rule(peers(nsPods("team=b", "app=client")), tcp(443)))
                            .egress(rule(peers(pods("app=db")), tcp(80))))),
            Map.entry("no-selected-pods", () -> base().policy("prod/api-only",
                    p -> p.select("app=api").types(PolicyType.INGRESS))),
            Map.entry("cnp-admin-deny-egress-cidr", () -> base().namespace("kube-system", "")
                    .pod("kube-system/dns", "n1", "10.0.1.53", "k8s-app=kube-dns")
                    .clusterPolicy(new ClusterPolicy("deny-cloud-metadata", Tier.ADMIN, 10,
                            new ClusterPolicySubject.Namespaces(new LabelSelector(List.of(new LabelSelector.Requirement(
                                    "kubernetes.io/metadata.name", LabelSelector.Operator.NOT_IN,
                                    List.of("kube-system"))))),
                            List.of(), List.of(cnpRule("", RuleAction.DENY, networks("169.254.169.254/32")))))),
            Map.entry("cnp-admin-pass-networkpolicy", () -> base()
                    .clusterPolicy(new ClusterPolicy("pass-dev-web", Tier.ADMIN, 5, everyNamespace(),
                            List.of(cnpRule("web", RuleAction.PASS, nsPeer("team=b"), tcp(80))), List.of()))
                    .clusterPolicy(new ClusterPolicy("deny-dev", Tier.ADMIN, 10, everyNamespace(),
                            List.of(cnpRule("", RuleAction.DENY, nsPeer("team=b"))), List.of()))
                    .policy("prod/web-from-dev", p -> p.select("app=web").ingress(rule(peers(nsPods("team=b", "")),
                            tcp(80))))),
            Map.entry("cnp-baseline-tenant-deny", () -> base()
                    .clusterPolicy(new ClusterPolicy("tenant-a", Tier.BASELINE, 10,
                            new ClusterPolicySubject.Namespaces(Cluster.selector("team=a")),
                            List.of(cnpRule("same-tenant", RuleAction.ACCEPT, nsPeer("team=a")),
                                    cnpRule("other-tenants", RuleAction.DENY, new ClusterPolicyPeer.Namespaces(
                                            new LabelSelector(List.of(new LabelSelector.Requirement("team",
                                                    LabelSelector.Operator.EXISTS, List.of())))))),
                            List.of()))),
            Map.entry("cnp-admin-deny-egress-nodes", () -> base()
                    .node("n1", "node-role.kubernetes.io/worker=", "192.168.0.1")
                    .node("n2", "node-role.kubernetes.io/control-plane=", "192.168.0.2,203.0.113.2")
                    .node("n3", "node-role.kubernetes.io/worker=", "")
                    .clusterPolicy(new ClusterPolicy("protect-nodes", Tier.ADMIN, 20, everyNamespace(), List.of(),
                            List.of(cnpRule("api-server", RuleAction.ACCEPT, nodesPeer(
                                    "node-role.kubernetes.io/control-plane="), tcp(6443)),
                                    cnpRule("", RuleAction.DENY, nodesPeer("")))))),
            Map.entry("cnp-priority-order", () -> base()
                    .clusterPolicy(new ClusterPolicy("z-allow-https", Tier.ADMIN, 1, everyNamespace(),
                            List.of(cnpRule("", RuleAction.ACCEPT, nsPeer(""), tcp(443))), List.of()))
                    .clusterPolicy(new ClusterPolicy("b-deny-all", Tier.ADMIN, 2, everyNamespace(),
                            List.of(cnpRule("", RuleAction.DENY, nsPeer(""))), List.of()))
                    .clusterPolicy(new ClusterPolicy("a-allow-web", Tier.ADMIN, 2, everyNamespace(),
                            List.of(cnpRule("", RuleAction.ACCEPT, new ClusterPolicyPeer.Pods(LabelSelector.all(),
                                    Cluster.selector("app=web")))), List.of()))),
            Map.entry("bridge-ports", () -> base()
                    .pod("prod/edge", "n1", "10.0.1.9,fd00:1::9", "app=edge")
                    .pod("prod/v6only", "n1", "fd00:1::7", "app=v6")
                    .policy("prod/deny", p -> p.select("app=db").types(PolicyType.INGRESS))),
            // dev is annotated log-denials "false": its default deny has no NFLOG rule, the Admin Deny's matches dev's
            // pod in the set of pods logged other than the default
            Map.entry("denial-log-namespace-off", () -> base()
                    .pod("dev/cli", "n1", "10.0.1.7,fd00:1::7", "app=cli")
                    .denialLogging("dev", DenialLogging.OFF)
                    .policy("prod/deny", p -> p.types(PolicyType.INGRESS))
                    .policy("dev/deny", p -> p.types(PolicyType.INGRESS))
                    .clusterPolicy(new ClusterPolicy("deny-tool", Tier.ADMIN, 10, everyNamespace(),
                            List.of(cnpRule("no-tool", RuleAction.DENY, new ClusterPolicyPeer.Pods(LabelSelector.all(),
                                    Cluster.selector("app=tool")))), List.of()))),
            // log-rules "ingress[0],ingress[1]" on the Admin policy (its Pass decides nothing and is not logged) and
            // "*" on the Baseline one (Accept and Pass logged, Deny always)
            Map.entry("denial-log-rules", () -> base()
                    .clusterPolicy(new ClusterPolicy("monitoring", Tier.ADMIN, 1, everyNamespace(),
                            List.of(cnpRule("scrape", RuleAction.ACCEPT, nsPeer("team=b"), tcp(9100)),
                                    cnpRule("web", RuleAction.PASS, nsPeer("team=b"), tcp(80)),
                                    cnpRule("", RuleAction.DENY, nsPeer("team=b"), tcp(22))), List.of())
                            .withLoggedRules(Set.of(new RuleIndex(PolicyType.INGRESS, 0),
                                    new RuleIndex(PolicyType.INGRESS, 1))))
                    .clusterPolicy(new ClusterPolicy("tenant", Tier.BASELINE, 10, everyNamespace(),
                            List.of(cnpRule("same-team", RuleAction.ACCEPT, nsPeer("team=a")),
                                    cnpRule("to-np", RuleAction.PASS, nsPeer("team=b"), tcp(80)),
                                    cnpRule("rest", RuleAction.DENY, nsPeer(""))), List.of())
                            .withLoggedRules(Set.of(new RuleIndex(PolicyType.INGRESS, 0),
                                    new RuleIndex(PolicyType.INGRESS, 1), new RuleIndex(PolicyType.INGRESS, 2))))),
            // the node logs by request only (group 7, 5/s, burst 10) and prod asks: prod/db's default deny is logged,
            // dev/cli's is not, and the Baseline Deny (reached by prod/web alone) matches the pods of prod
            Map.entry("denial-log-opt-in", () -> base()
                    .pod("dev/cli", "n1", "10.0.1.7", "app=cli")
                    .denialLogging("prod", DenialLogging.ON)
                    .policy("prod/deny-out", p -> p.select("app=db").types(PolicyType.EGRESS))
                    .policy("dev/deny-out", p -> p.select("app=cli").types(PolicyType.EGRESS))
                    .clusterPolicy(new ClusterPolicy("no-dns", Tier.BASELINE, 10, everyNamespace(), List.of(),
                            List.of(cnpRule("", RuleAction.DENY, networks("10.96.0.10/32"), port(Protocol.UDP, 53)))))),
            // anti-spoofing on routed interfaces with fail-closed: every drop of the guard chains is logged
            Map.entry("denial-log-fail-closed", () -> base()
                    .policy("prod/deny", p -> p.select("app=db").types(PolicyType.INGRESS))),
            // three policies admit db on 5432 from three peer sets: one rule over their union (a list:set); one of
            // them also on 9090, where the set is used alone; one admits any peer on UDP 53
            Map.entry("union-peers", () -> base()
                    .policy("prod/db-from-web", p -> p.select("app=db").ingress(rule(peers(pods("app=web")), tcp(5432),
                            tcp(9090))))
                    .policy("prod/db-from-dev", p -> p.select("app=db").ingress(rule(peers(nsPods("team=b", "")),
                            tcp(5432))))
                    .policy("prod/db-from-office", p -> p.select("app=db")
                            .ingress(rule(peers(block("172.16.0.0/12", "172.16.5.0/24")), tcp(5432)))
                            .ingress(rule(anyPeer(), port(Protocol.UDP, 53))))),
            // 14 pods on routed interfaces, dual-stack: dispatch and anti-spoofing past DispatchTree.LEAF as trees
            Map.entry("dispatch-tree", GoldenCases::dispatchTree)));

    private static Cluster dispatchTree() {
        Cluster c = base();
        for (int i = 0; i < 12; i++) {
            c = c.pod("prod/w" + i, "n1", "10.0.1." + (20 + i) + ",fd00:1::" + (20 + i), "app=w");
        }
        return c.policy("prod/deny", p -> p.types(PolicyType.INGRESS))
                .policy("prod/w-out", p -> p.select("app=w").types(PolicyType.EGRESS)
                        .egress(rule(peers(pods("app=db")), tcp(5432))));
    }

    /** Routed interfaces for every pod of n1 in {@code dispatch-tree}, named so their tree has two levels. */
    private static LocalNetwork dispatchTreeInterfaces() {
        Map<ObjectKey, PodInterface> interfaces = new TreeMap<>();
        interfaces.put(ObjectKey.pod("prod", "web"), PodInterface.routed("cali5e1a0b2c9d"));
        interfaces.put(ObjectKey.pod("prod", "db"), PodInterface.routed("cali7f3c9d1000"));
        for (int i = 0; i < 12; i++) {
            interfaces.put(ObjectKey.pod("prod", "w" + i), PodInterface.routed(String.format("cali%d%02dx", i % 3, i)));
        }
        return new LocalNetwork(interfaces, List.of(), false);
    }

    /** The render options of the cases that need other than the defaults. */
    private static final Map<String, RenderOptions> OPTIONS = Map.of(
            "denial-log-opt-in", RenderOptions.defaults().withDenialLog(
                    DenialLog.defaults().withMode(DenialLog.Mode.OPT_IN).withGroup(7).withRate(5, 10)));

    /**
     * What the agent on {@code n1} knows of its node for the cases that need it (else {@link LocalNetwork#none()}):
     * {@code bridge-ports} has flannel-style veths on {@code cni0} for every pod of n1 (web is selected by no policy,
     * v6only has no IPv4, edge's MAC comes in upper case) and an entry for dev/tool, a pod of n2, which is ignored.
     */
    private static final Map<String, LocalNetwork> LOCAL_NETWORKS = Map.of(
            "bridge-ports", new LocalNetwork(Map.of(
                    ObjectKey.pod("prod", "web"), PodInterface.bridgePort("veth5e1a0b2c", "0a:58:0a:00:01:02"),
                    ObjectKey.pod("prod", "db"), PodInterface.bridgePort("veth7f3c9d10", "0a:58:0a:00:01:03"),
                    ObjectKey.pod("prod", "edge"), PodInterface.bridgePort("veth0d4e5f60", "0A:58:0A:00:01:09"),
                    ObjectKey.pod("prod", "v6only"), PodInterface.bridgePort("vethb00b1e5", "0a:58:0a:00:01:07"),
                    ObjectKey.pod("dev", "tool"), PodInterface.bridgePort("veth9a9a9a9a", "0a:58:0a:00:02:03")),
                    List.of(), false),
            "denial-log-fail-closed", new LocalNetwork(Map.of(
                    ObjectKey.pod("prod", "web"), PodInterface.routed("cali5e1a0b2c9d"),
                    ObjectKey.pod("prod", "db"), PodInterface.routed("cali7f3c9d1000")),
                    List.of(Cidr.parse("10.0.1.0/24")), true),
            "dispatch-tree", dispatchTreeInterfaces());

    static LocalNetwork localNetwork(String name) {
        return LOCAL_NETWORKS.getOrDefault(name, LocalNetwork.none());
    }

    /** The ruleset the agent on {@code n1} renders for a case: filter tables and sets, and its bridge table. */
    static Ruleset render(String name) {
        PolicyGraph graph = CASES.get(name).get().graph();
        LocalNetwork local = localNetwork(name);
        return IptablesRenderer.render(graph, NODE, OPTIONS.getOrDefault(name, RenderOptions.defaults()), local);
    }

    private static ClusterPolicySubject everyNamespace() {
        return new ClusterPolicySubject.Namespaces(LabelSelector.all());
    }

    private static ClusterPolicyPeer nsPeer(String labels) {
        return new ClusterPolicyPeer.Namespaces(Cluster.selector(labels));
    }

    private static ClusterPolicyPeer nodesPeer(String labels) {
        return new ClusterPolicyPeer.Nodes(Cluster.selector(labels));
    }

    private static ClusterPolicyPeer networks(String... cidrs) {
        return new ClusterPolicyPeer.Networks(Arrays.stream(cidrs).map(Cidr::parse).toList());
    }

    private static ClusterPolicyRule cnpRule(String name, RuleAction action, ClusterPolicyPeer peer,
            PortMatch... ports) {
        return new ClusterPolicyRule(name, action, List.of(peer), List.of(ports));
    }
}
