package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.render.Netfilter.Outcome;
import dev.weir.iptables.render.Netfilter.Packet;
import dev.weir.model.Cidr;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.IpAddress;
import dev.weir.model.LabelSelector;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ClusterNetworkPolicy rendering: what the tier chains look like, and what they cost. */
class ClusterPolicyRenderingTest {

    private static final ClusterPolicySubject EVERYONE = new ClusterPolicySubject.Namespaces(LabelSelector.all());

    /** One pod on n1 in {@code prod}; {@code peers} pods on n2 in {@code dev}, the peer of every rule. */
    private static Cluster withPeers(int peers) {
        return withPeers(peers, true);
    }

    private static Cluster withPeers(int peers, boolean baseline) {
        Cluster c = Cluster.cluster().namespace("prod", "team=a").namespace("dev", "team=b")
                .pod("prod/web", "n1", "10.0.1.2", "app=web");
        for (int i = 0; i < peers; i++) {
            c.pod("dev/p" + i, "n2", "10.0.2." + (i + 2), "app=client");
        }
        ClusterPolicyPeer dev = new ClusterPolicyPeer.Namespaces(Cluster.selector("team=b"));
        if (baseline) {
            c.clusterPolicy(new ClusterPolicy("baseline", Tier.BASELINE, 1, EVERYONE,
                    List.of(new ClusterPolicyRule("", RuleAction.DENY, List.of(dev), List.of())), List.of()));
        }
        return c.clusterPolicy(new ClusterPolicy("admin", Tier.ADMIN, 1, EVERYONE,
                        List.of(new ClusterPolicyRule("", RuleAction.PASS, List.of(dev),
                                List.of(Cluster.tcp(80))), new ClusterPolicyRule("", RuleAction.DENY, List.of(dev),
                                List.of())),
                        List.of(new ClusterPolicyRule("", RuleAction.DENY, List.of(new ClusterPolicyPeer.Networks(
                                List.of(Cidr.parse("169.254.169.254/32")))), List.of()))));
    }

    private static int ruleCount(Ruleset rs) {
        return rs.v4().chains().stream().mapToInt(ch -> ch.rules().size()).sum();
    }

    @ParameterizedTest(name = "{0} peer pods")
    @ValueSource(ints = {1, 10, 200})
    void ruleCountDoesNotGrowWithPeerPods(int peers) {
        Ruleset one = IptablesRenderer.render(withPeers(1).graph(), "n1");
        Ruleset many = IptablesRenderer.render(withPeers(peers).graph(), "n1");
        assertThat(ruleCount(many)).isEqualTo(ruleCount(one));
        int members = many.sets().stream().mapToInt(s -> s.members().size()).sum();
        assertThat(members).as("peers live in ipsets").isGreaterThanOrEqualTo(peers);
    }

    @Test
    void anAdminDenyDropsTheFirstPacketRatherThanRejectingIt() {
        Ruleset rs = IptablesRenderer.render(withPeers(1).graph(), "n1");
        assertThat(RestoreScript.install(rs.v4())).doesNotContain("REJECT");
        Netfilter n1 = new Netfilter(rs);
        Packet metadata = new Packet(IpAddress.parse("10.0.1.2"), IpAddress.parse("169.254.169.254"), Protocol.TCP, 80);
        assertThat(n1.traverse("FORWARD", metadata)).isEqualTo(Outcome.DROP);
        Packet elsewhere = new Packet(IpAddress.parse("10.0.1.2"), IpAddress.parse("169.254.169.253"), Protocol.TCP, 80);
        assertThat(n1.traverse("FORWARD", elsewhere)).isEqualTo(Outcome.ACCEPT);
    }

    @Test
    void passedTrafficSkipsTheRestOfTheAdminTierAndReachesTheBaselineTier() {
        Packet web = new Packet(IpAddress.parse("10.0.2.2"), IpAddress.parse("10.0.1.2"), Protocol.TCP, 80);
        Packet other = new Packet(IpAddress.parse("10.0.2.2"), IpAddress.parse("10.0.1.2"), Protocol.TCP, 81);
        Netfilter adminOnly = new Netfilter(IptablesRenderer.render(withPeers(1, false).graph(), "n1"));
        assertThat(adminOnly.traverse("FORWARD", web)).as("passed, then the default").isEqualTo(Outcome.ACCEPT);
        assertThat(adminOnly.traverse("FORWARD", other)).as("the admin deny").isEqualTo(Outcome.DROP);
        Netfilter withBaseline = new Netfilter(IptablesRenderer.render(withPeers(1, true).graph(), "n1"));
        assertThat(withBaseline.traverse("FORWARD", web)).as("passed, then the baseline deny").isEqualTo(Outcome.DROP);
    }

    /** One dual-stack pod on n1, {@code nodes} Node objects (dual-stack), an Admin Deny egress to every node. */
    private static Cluster withNodes(int nodes) {
        Cluster c = Cluster.cluster().namespace("prod", "team=a").pod("prod/web", "n1", "10.0.1.2,fd00:1::2",
                "app=web");
        for (int i = 1; i <= nodes; i++) {
            c.node("n" + i, "role=worker", "192.168." + (i / 256) + "." + (i % 256) + ",fd00:ff::" + i);
        }
        return c.clusterPolicy(new ClusterPolicy("deny-nodes", Tier.ADMIN, 1, EVERYONE, List.of(),
                List.of(new ClusterPolicyRule("", RuleAction.DENY, List.of(new ClusterPolicyPeer.Nodes(
                        LabelSelector.all())), List.of()))));
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {2, 50, 500})
    void ruleCountDoesNotGrowWithNodes(int nodes) {
        Ruleset one = IptablesRenderer.render(withNodes(1).graph(), "n1");
        Ruleset many = IptablesRenderer.render(withNodes(nodes).graph(), "n1");
        assertThat(ruleCount(many)).isEqualTo(ruleCount(one));
        assertThat(many.v6().chains()).isEqualTo(one.v6().chains());
        assertThat(many.sets()).filteredOn(set -> set.name().startsWith("weir-h"))
                .extracting(set -> set.members().size()).containsExactly(nodes, nodes);
    }

    @Test
    void aNodesPeerIsOneHashIpSetPerFamilyOfTheSelectedNodesAddresses() {
        Ruleset rs = IptablesRenderer.render(withNodes(2).graph(), "n1");
        assertThat(rs.sets()).filteredOn(set -> set.name().startsWith("weir-h"))
                .extracting(IpSetSpec::name, IpSetSpec::type, IpSetSpec::family, IpSetSpec::members)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("weir-h4-28742af21dc33705", IpSetSpec.Type.HASH_IP,
                                dev.weir.model.IpFamily.V4, List.of("192.168.0.1", "192.168.0.2")),
                        org.assertj.core.groups.Tuple.tuple("weir-h6-28742af21dc33705", IpSetSpec.Type.HASH_IP,
                                dev.weir.model.IpFamily.V6, List.of("fd00:ff::1", "fd00:ff::2")));
        Netfilter n1 = new Netfilter(rs);
        assertThat(n1.traverse("FORWARD", new Packet(IpAddress.parse("10.0.1.2"), IpAddress.parse("192.168.0.2"),
                Protocol.TCP, 10250))).isEqualTo(Outcome.DROP);
        assertThat(n1.traverse("INPUT", new Packet(IpAddress.parse("fd00:1::2"), IpAddress.parse("fd00:ff::1"),
                Protocol.UDP, 53))).as("its own node, over IPv6").isEqualTo(Outcome.DROP);
        assertThat(n1.traverse("FORWARD", new Packet(IpAddress.parse("10.0.1.2"), IpAddress.parse("192.168.0.3"),
                Protocol.TCP, 10250))).as("no node's address").isEqualTo(Outcome.ACCEPT);
    }

    @Test
    void aNodeWithoutSelectedPodsRendersNoClusterPolicyChains() {
        Ruleset rs = IptablesRenderer.render(withPeers(3).graph(), "n3");
        assertThat(rs.v4().chains().stream().map(Chain::name)).noneMatch(n -> n.startsWith("WEIR-C"));
    }
}
