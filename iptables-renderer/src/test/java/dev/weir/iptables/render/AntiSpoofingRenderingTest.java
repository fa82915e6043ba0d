package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyGraph;
import dev.weir.model.Cidr;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guard chains the renderer adds once it knows the node's pod interfaces (see docs/dataplane.md). */
class AntiSpoofingRenderingTest {

    private static final ObjectKey WEB = ObjectKey.pod("prod", "web");
    private static final ObjectKey DB = ObjectKey.pod("prod", "db");
    private static final ObjectKey IDLE = ObjectKey.pod("prod", "idle");
    /** The guard chains' own layout; the NFLOG rules before their drops are {@link DenialLogRenderingTest}'s. */
    private static final RenderOptions NO_LOG = RenderOptions.defaults().withDenialLog(DenialLog.off());

    /** web (egress-isolated) and db (ingress-isolated) on n1, idle on n1 selected by nothing, other on n2. */
    private static PolicyGraph graph() {
        return Cluster.cluster()
                .pod("prod/web", "n1", "10.0.1.2", "app=web")
                .pod("prod/db", "n1", "10.0.1.3,fd00::3", "app=db")
                .pod("prod/idle", "n1", "10.0.1.4", "app=idle")
                .pod("prod/other", "n2", "10.0.2.2", "app=db")
                .policy("prod/web-out", p -> p.select("app=web").types(PolicyType.EGRESS))
                .policy("prod/db-in", p -> p.select("app=db").types(PolicyType.INGRESS))
                .graph();
    }

    private static List<String> specs(FamilyRuleset fr, String chain) {
        return fr.chains().stream().filter(c -> c.name().equals(chain)).findFirst()
                .map(c -> c.rules().stream().map(IptablesRule::spec).toList()).orElse(null);
    }

    private static LocalNetwork bound(boolean failClosed, ObjectKey... unbound) {
        Map<ObjectKey, PodInterface> interfaces = new java.util.TreeMap<>(Map.of(
                WEB, PodInterface.routed("cali1a2b3c4d5e6"),
                DB, PodInterface.bridgePort("veth0a1b2c3d", "0a:58:0a:00:01:03"),
                IDLE, PodInterface.routed("cali99")));
        List.of(unbound).forEach(interfaces::remove);
        return new LocalNetwork(interfaces, failClosed ? List.of(Cidr.parse("10.0.1.0/24")) : List.of(), failClosed);
    }

    @Test
    void withoutLocalKnowledgeTheRulesetIsTheOneOfEarlierReleases() {
        PolicyGraph g = graph();
        Ruleset plain = IptablesRenderer.render(g, "n1");
        assertThat(IptablesRenderer.render(g, "n1", RenderOptions.defaults(), LocalNetwork.none())).isEqualTo(plain);
        assertThat(specs(plain.v4(), Names.FROM_POD)).isNull();
        assertThat(specs(plain.v4(), Names.FORWARD).get(0)).as("nothing before the established-flow fast path")
                .startsWith("-m conntrack --ctstate ESTABLISHED -m connmark");
    }

    @Test
    void everyLocalPodMaySendOnlyItsOwnAddressFromItsOwnInterface() {
        Ruleset rs = IptablesRenderer.render(graph(), "n1", NO_LOG, bound(false));
        assertThat(specs(rs.v4(), Names.FROM_POD)).containsExactly(
                "-s 10.0.1.3/32 -m physdev --physdev-in veth0a1b2c3d -j RETURN",
                "-m physdev --physdev-in veth0a1b2c3d -j DROP",
                "-s 10.0.1.4/32 -i cali99 -j RETURN",
                "-i cali99 -j DROP",
                "-s 10.0.1.2/32 -i cali1a2b3c4d5e6 -j RETURN",
                "-i cali1a2b3c4d5e6 -j DROP");
        assertThat(specs(rs.v4(), Names.FORWARD).get(0)).isEqualTo("-j " + Names.FROM_POD);
        assertThat(specs(rs.v4(), Names.INPUT).get(0)).isEqualTo("-j " + Names.FROM_POD);
        assertThat(specs(rs.v4(), Names.TO_POD)).as("no fail-closed chain in open mode").isNull();
    }

    @Test
    void egressDispatchIsBoundToTheInterfaceIngressDispatchIsNot() {
        Ruleset rs = IptablesRenderer.render(graph(), "n1", NO_LOG, bound(false));
        assertThat(specs(rs.v4(), Names.EGRESS)).singleElement().asString()
                .startsWith("-s 10.0.1.2/32 -i cali1a2b3c4d5e6 -j WEIR-EE-");
        assertThat(specs(rs.v4(), Names.INGRESS)).singleElement().asString().startsWith("-d 10.0.1.3/32 -j WEIR-EI-");
    }

    @Test
    void aPodWhoseInterfaceIsUnknownIsDispatchedByAddressAloneAndNotGuarded() {
        Ruleset rs = IptablesRenderer.render(graph(), "n1", NO_LOG, bound(false, WEB));
        assertThat(specs(rs.v4(), Names.EGRESS)).singleElement().asString().startsWith("-s 10.0.1.2/32 -j WEIR-EE-");
        assertThat(specs(rs.v4(), Names.FROM_POD)).noneMatch(s -> s.contains("10.0.1.2"));
    }

    @Test
    void ipv6AllowsTheOwnLinkLocalAndUnspecifiedSources() {
        Ruleset rs = IptablesRenderer.render(graph(), "n1", NO_LOG, bound(false));
        assertThat(specs(rs.v6(), Names.FROM_POD)).startsWith(
                "-s fd00::3/128 -m physdev --physdev-in veth0a1b2c3d -j RETURN",
                "-s fe80::/10 -m physdev --physdev-in veth0a1b2c3d -j RETURN",
                "-s ::/128 -m physdev --physdev-in veth0a1b2c3d -j RETURN",
                "-m physdev --physdev-in veth0a1b2c3d -j DROP");
        assertThat(specs(rs.v6(), Names.FROM_POD)).as("v4-only pods may send no IPv6 but link-local")
                .contains("-s fe80::/10 -i cali99 -j RETURN", "-i cali99 -j DROP");
    }

    @Test
    void failClosedDropsUnprogrammedAddressesAfterEveryBoundPodsOwnRules() {
        Ruleset rs = IptablesRenderer.render(graph(), "n1", NO_LOG, bound(true, WEB));
        List<String> from = specs(rs.v4(), Names.FROM_POD);
        assertThat(from.get(0)).isEqualTo("-i lo -j RETURN");
        assertThat(from).endsWith("-i cali99 -j DROP", "-s 10.0.1.2/32 -j RETURN", "-s 10.0.1.0/24 -j DROP");
        assertThat(specs(rs.v4(), Names.TO_POD)).containsExactly("-d 10.0.1.3/32 -j RETURN",
                "-d 10.0.1.4/32 -j RETURN", "-d 10.0.1.2/32 -j RETURN", "-d 10.0.1.0/24 -j DROP");
        assertThat(specs(rs.v4(), Names.FORWARD).subList(0, 2)).containsExactly("-j " + Names.FROM_POD,
                "-j " + Names.TO_POD);
        assertThat(specs(rs.v4(), Names.INPUT)).doesNotContain("-j " + Names.TO_POD);
    }

    @Test
    void theGuardRulesCommentNameThePod() {
        Ruleset rs = IptablesRenderer.render(graph(), "n1", RenderOptions.defaults(), bound(false));
        Chain from = rs.v4().chains().stream().filter(c -> c.name().equals(Names.FROM_POD)).findFirst().orElseThrow();
        assertThat(from.rules()).allSatisfy(r -> assertThat(r.comment()).startsWith("pod:prod/"));
        assertThat(from.rules()).allSatisfy(r -> assertThat(r.hashMatchesSpec()).isTrue());
    }

    @Test
    void ipv6NeighbourDiscoveryPassesAfterTheGuardsAndBeforeAnyPolicy() {
        Ruleset rs = IptablesRenderer.render(graph(), "n1", NO_LOG, bound(false));
        List<String> nd = List.of("-p ipv6-icmp -m icmp6 --icmpv6-type 135 -j RETURN",
                "-p ipv6-icmp -m icmp6 --icmpv6-type 136 -j RETURN");
        for (String chain : List.of(Names.FORWARD, Names.INPUT)) {
            List<String> v6 = specs(rs.v6(), chain);
            assertThat(v6.subList(0, 3)).as(chain).containsExactly("-j " + Names.FROM_POD, nd.get(0), nd.get(1));
            assertThat(v6.indexOf("-j " + Names.EGRESS)).as(chain).isGreaterThan(2);
            assertThat(specs(rs.v4(), chain)).as(chain + ", IPv4").noneMatch(r -> r.contains("icmp"));
        }
    }
}
