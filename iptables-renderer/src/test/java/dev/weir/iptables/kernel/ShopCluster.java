package dev.weir.iptables.kernel;

import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
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
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small cluster whose node {@code n1} gets a ruleset of realistic shape, for {@link DenialLogBenchmarkTest}: on
 * {@code n1} the pods {@code shop/web} (TCP 8080), {@code shop/frontend} (allowed to reach it) and {@code shop/batch}
 * (denied by web's default deny); 60 pods on three other nodes in six namespaces, so the peer sets have members.
 *
 * <ul>
 * <li>{@code shop/default-deny}: every shop pod's ingress isolated;</li>
 * <li>{@code shop/web-ingress}: web admits app=frontend on 8080, namespaces team=edge on 8080 and 8443, and
 * monitoring's prometheus on 9090;</li>
 * <li>{@code shop/frontend-egress}: frontend may reach web on 8080, kube-system's DNS, and 10.0.0.0/8 except the
 * service range on 443; {@code shop/frontend-from-edge}: frontend admits team=edge on 80;</li>
 * <li>Admin {@code quarantine}: every pod's ingress denies namespaces labelled quarantine=true; Admin
 * {@code scrape}: accepts prometheus on 9090; Baseline {@code dns}: egress to kube-system's DNS accepted.</li>
 * </ul>
 *
 * <p>So a SYN from frontend to web passes frontend's egress (a policy chain with sets) and web's ingress (two Admin
 * chains, then web's policies); a SYN from batch passes batch's egress (Baseline) and ends in web's default deny,
 * where the NFLOG rule sits.
 */
final class ShopCluster {

    static final String NODE = "n1";
    static final String WEB = "10.247.0.2";
    static final String FRONTEND = "10.247.0.3";
    static final String BATCH = "10.247.0.4";
    static final int PORT = 8080;

    private ShopCluster() {
    }

    static ClusterSnapshot snapshot() {
        List<Namespace> namespaces = List.of(
                new Namespace("shop", Map.of("team", "shop")),
                new Namespace("edge", Map.of("team", "edge")),
                new Namespace("monitoring", Map.of("team", "ops")),
                new Namespace("kube-system", Map.of()),
                new Namespace("payments", Map.of("team", "payments")),
                new Namespace("quarantine", Map.of("quarantine", "true")));
        List<Endpoint> pods = new ArrayList<>(List.of(
                pod("shop", "web", "web", WEB, NODE),
                pod("shop", "frontend", "frontend", FRONTEND, NODE),
                pod("shop", "batch", "batch", BATCH, NODE)));
        String[][] elsewhere = {{"shop", "web"}, {"shop", "frontend"}, {"edge", "ingress"},
            {"monitoring", "prometheus"}, {"kube-system", "dns"}, {"payments", "api"}, {"quarantine", "suspect"}};
        for (int i = 0; i < 60; i++) {
            String[] kind = elsewhere[i % elsewhere.length];
            pods.add(pod(kind[0], kind[1] + "-" + i, kind[1], "10.247." + (1 + i % 3) + "." + (2 + i),
                    "n" + (2 + i % 3)));
        }
        LabelSelector web = LabelSelector.matchLabel("app", "web");
        LabelSelector frontend = LabelSelector.matchLabel("app", "frontend");
        LabelSelector prometheus = LabelSelector.matchLabel("app", "prometheus");
        LabelSelector edge = LabelSelector.matchLabel("team", "edge");
        Peer dns = new Peer.Pods(LabelSelector.matchLabel(Namespace.NAME_LABEL, "kube-system"),
                LabelSelector.matchLabel("app", "dns"));
        List<NetworkPolicy> policies = List.of(
                new NetworkPolicy("shop", "default-deny", LabelSelector.all(), List.of(PolicyType.INGRESS), List.of(),
                        List.of()),
                new NetworkPolicy("shop", "web-ingress", web, List.of(PolicyType.INGRESS), List.of(
                        new Rule(List.of(Peer.Pods.inPolicyNamespace(frontend)), List.of(tcp(PORT))),
                        new Rule(List.of(new Peer.Pods(edge, LabelSelector.all())), List.of(tcp(PORT), tcp(8443))),
                        new Rule(List.of(new Peer.Pods(LabelSelector.matchLabel("team", "ops"), prometheus)),
                                List.of(tcp(9090)))), List.of()),
                new NetworkPolicy("shop", "frontend-egress", frontend, List.of(PolicyType.EGRESS), List.of(), List.of(
                        new Rule(List.of(Peer.Pods.inPolicyNamespace(web)), List.of(tcp(PORT))),
                        new Rule(List.of(dns), List.of(PortMatch.Range.single(Protocol.UDP, 53), tcp(53))),
                        new Rule(List.of(new Peer.IpBlock(Cidr.parse("10.0.0.0/8"),
                                List.of(Cidr.parse("10.96.0.0/12")))), List.of(tcp(443))))),
                new NetworkPolicy("shop", "frontend-from-edge", frontend, List.of(PolicyType.INGRESS), List.of(
                        new Rule(List.of(new Peer.Pods(edge, LabelSelector.all())), List.of(tcp(80)))), List.of()),
                new NetworkPolicy("payments", "default-deny", LabelSelector.all(), List.of(PolicyType.INGRESS),
                        List.of(), List.of()));
        ClusterPolicySubject everyone = new ClusterPolicySubject.Namespaces(LabelSelector.all());
        List<ClusterPolicy> clusterPolicies = List.of(
                new ClusterPolicy("quarantine", Tier.ADMIN, 10, everyone, List.of(new ClusterPolicyRule("from-quarantine",
                        RuleAction.DENY, List.of(new ClusterPolicyPeer.Namespaces(
                                LabelSelector.matchLabel("quarantine", "true"))), List.of())), List.of()),
                new ClusterPolicy("scrape", Tier.ADMIN, 20, everyone, List.of(new ClusterPolicyRule("prometheus",
                        RuleAction.ACCEPT, List.of(new ClusterPolicyPeer.Pods(
                                LabelSelector.matchLabel("team", "ops"), prometheus)), List.of(tcp(9090)))), List.of()),
                new ClusterPolicy("dns", Tier.BASELINE, 10, everyone, List.of(), List.of(new ClusterPolicyRule("dns",
                        RuleAction.ACCEPT, List.of(new ClusterPolicyPeer.Pods(
                                LabelSelector.matchLabel(Namespace.NAME_LABEL, "kube-system"),
                                LabelSelector.matchLabel("app", "dns"))),
                        List.of(PortMatch.Range.single(Protocol.UDP, 53), tcp(53))))));
        return new ClusterSnapshot(namespaces, pods, policies, clusterPolicies);
    }

    private static PortMatch tcp(int port) {
        return PortMatch.Range.single(Protocol.TCP, port);
    }

    private static Endpoint pod(String namespace, String name, String app, String ip, String node) {
        return new Endpoint(namespace, name, Map.of("app", app), List.of(IpAddress.parse(ip)), node, false,
                PodPhase.RUNNING, List.<ContainerPort>of());
    }
}
