package dev.weir.graph;

import static dev.weir.graph.Cluster.cluster;
import static dev.weir.graph.Fixtures.allPodsHere;
import static dev.weir.graph.Fixtures.ipBlock;
import static dev.weir.graph.Fixtures.named;
import static dev.weir.graph.Fixtures.ns;
import static dev.weir.graph.Fixtures.pod;
import static dev.weir.graph.Fixtures.policy;
import static dev.weir.graph.Fixtures.tcp;
import static dev.weir.graph.NodePeersTest.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One end of a packet is an address that is no pod's: a client or service outside the cluster, or a node. Only the
 * pod's side is judged; ipBlock, networks and nodes peers match the address, pod selectors and named ports never do.
 */
class OutsideAddressTest {

    /** dev/web (n1, port http=8080) and dev/db (n2); node n1 at 192.168.0.1. */
    private static Cluster dev() {
        return cluster().with(ns("dev"))
                .with(node("n1", "", "192.168.0.1"))
                .with(pod("dev", "web").node("n1").ip("10.244.1.2").label("app", "web").port("http", 8080, Protocol.TCP))
                .with(pod("dev", "db").node("n2").ip("10.244.2.2").label("app", "db"));
    }

    private static Verdict verdict(Cluster c, String from, String to, int port) {
        Reachability r = new Reachability(c.graph());
        return r.evaluate(end(r, from), end(r, to), port, Protocol.TCP);
    }

    private static Endpoint end(Reachability r, String name) {
        return name.contains("/") ? r.graph().endpoint(name) : r.outside(IpAddress.parse(name));
    }

    @Test
    void aClientOutsideIsAllowedInByAnIpBlockAndKeptOutByItsExcept() {
        Cluster c = dev().with(policy("from-office", "dev", p -> p.ingressFrom(ipBlock("203.0.113.0/24",
                "203.0.113.66/32"))));
        Verdict in = verdict(c, "203.0.113.5", "dev/web", 80);
        assertThat(in.allowed()).isTrue();
        assertThat(in.reasons()).containsExactly(
                "egress: 203.0.113.5 is not a pod's address; no policy applies to that end",
                "ingress: allowed by dev/from-office ingress[0]");
        assertThat(verdict(c, "203.0.113.66", "dev/web", 80).allowed()).as("except").isFalse();
        assertThat(verdict(c, "198.51.100.1", "dev/web", 80).allowed()).as("outside the block").isFalse();
    }

    @Test
    void podSelectorsNeverMatchAnAddressEvenAllOfANamespace() {
        Cluster c = dev().with(policy("same-ns", "dev", p -> p.ingressFrom(allPodsHere())));
        assertThat(verdict(c, "dev/db", "dev/web", 80).allowed()).isTrue();
        assertThat(verdict(c, "10.244.9.9", "dev/web", 80).allowed()).isFalse();
    }

    @Test
    void egressToAnAddressIsJudgedAtTheSourceOnly() {
        Cluster c = dev().with(policy("dns-only", "dev", p -> p.select("app", "web").types(PolicyType.EGRESS)
                .egress(r -> r.peers(ipBlock("0.0.0.0/0")).ports(tcp(53)))));
        Verdict dns = verdict(c, "dev/web", "8.8.8.8", 53);
        assertThat(dns.allowed()).isTrue();
        assertThat(dns.reasons()).containsExactly("egress: allowed by dev/dns-only egress[0]",
                "ingress: 8.8.8.8 is not a pod's address; no policy applies to that end");
        assertThat(verdict(c, "dev/web", "8.8.8.8", 443).allowed()).isFalse();
        assertThat(verdict(c, "dev/db", "8.8.8.8", 443).allowed()).as("db is not selected").isTrue();
    }

    @Test
    void aNamedPortNeverResolvesOnAnAddress() {
        Cluster c = dev().with(policy("to-http", "dev", p -> p.select("app", "web").types(PolicyType.EGRESS)
                .egress(r -> r.ports(named("http")))));
        assertThat(verdict(c, "dev/web", "8.8.8.8", 8080).allowed()).isFalse();
        assertThat(verdict(c, "dev/web", "dev/web", 8080).allowed()).as("itself").isTrue();
    }

    @Test
    void aNodeReachesItsOwnPodsWhateverPoliciesSayButNotOthers() {
        Cluster c = dev().with(policy("deny-in", "dev", p -> p.types(PolicyType.INGRESS)));
        Verdict own = verdict(c, "192.168.0.1", "dev/web", 80);
        assertThat(own.allowed()).isTrue();
        assertThat(own.reasons()).containsExactly("traffic from a pod's own node is always allowed");
        Verdict other = verdict(c, "192.168.0.1", "dev/db", 80);
        assertThat(other.allowed()).isFalse();
        assertThat(other.reasons()).contains("egress: 192.168.0.1 is node n1's address; policies never select a node");
    }

    @Test
    void aNodesPeerMatchesTheNodesAddress() {
        ClusterPolicy denyNodes = new ClusterPolicy("deny-nodes", Tier.ADMIN, 10,
                new ClusterPolicySubject.Namespaces(LabelSelector.all()), List.of(), List.of(new ClusterPolicyRule("",
                        RuleAction.DENY, List.of(new ClusterPolicyPeer.Nodes(LabelSelector.all())), List.of())));
        Cluster c = dev().with(denyNodes);
        assertThat(verdict(c, "dev/db", "192.168.0.1", 10250).allowed()).isFalse();
        assertThat(verdict(c, "dev/db", "192.168.0.2", 10250).allowed()).as("no Node holds it").isTrue();
    }
}
