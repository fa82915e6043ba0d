package dev.weir.iptables.render;

import static dev.weir.iptables.render.Cluster.anyPeer;
import static dev.weir.iptables.render.Cluster.block;
import static dev.weir.iptables.render.Cluster.named;
import static dev.weir.iptables.render.Cluster.peers;
import static dev.weir.iptables.render.Cluster.pods;
import static dev.weir.iptables.render.Cluster.rule;
import static dev.weir.iptables.render.Cluster.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.graph.PolicyGraph;
import dev.weir.model.PolicyType;
import dev.weir.model.Protocol;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IptablesRendererTest {

    private static Cluster webAndDb() {
        return Cluster.cluster()
                .pod("prod/web", "n1", "10.0.1.2", "app=web")
                .pod("prod/db", "n1", "10.0.1.3", "app=db")
                .pod("prod/other", "n2", "10.0.2.2", "app=db");
    }

    private static int ruleCount(FamilyRuleset fr) {
        return fr.chains().stream().mapToInt(c -> c.rules().size()).sum();
    }

    private static List<String> specs(FamilyRuleset fr, String chain) {
        return fr.chains().stream().filter(c -> c.name().equals(chain)).findFirst().orElseThrow()
                .rules().stream().map(IptablesRule::spec).toList();
    }

    @Test
    void hooksJumpFromForwardInputAndOutputIntoWeirChains() {
        Ruleset rs = IptablesRenderer.render(webAndDb().graph(), "n1");
        assertThat(rs.v4().hooks()).containsExactly(new Hook("FORWARD", "WEIR-FORWARD"),
                new Hook("INPUT", "WEIR-INPUT"), new Hook("OUTPUT", "WEIR-OUTPUT"));
        assertThat(RestoreScript.install(rs.v4())).contains("\n-I FORWARD 1 -j WEIR-FORWARD\n");
    }

    @Test
    void nodeWithoutSelectedPodsHasHooksAndEmptyDispatchButNoSetsAndNoV6() {
        Ruleset rs = IptablesRenderer.render(webAndDb().policy("prod/deny", p -> p.select("app=db")).graph(), "n3");
        assertThat(rs.v4().hooks()).hasSize(3);
        assertThat(specs(rs.v4(), Names.EGRESS)).isEmpty();
        assertThat(specs(rs.v4(), Names.INGRESS)).isEmpty();
        assertThat(rs.sets()).isEmpty();
        assertThat(rs.v6().chains()).isEmpty();
        assertThat(rs.v6().hooks()).isEmpty();
    }

    @Test
    void podSelectedByNoPolicyIsNotDispatched() {
        Ruleset rs = IptablesRenderer.render(webAndDb().policy("prod/db", p -> p.select("app=db")).graph(), "n1");
        assertThat(specs(rs.v4(), Names.INGRESS)).singleElement().asString().startsWith("-d 10.0.1.3/32 ");
        assertThat(String.join("\n", specs(rs.v4(), Names.EGRESS) + "" + specs(rs.v4(), Names.INGRESS)))
                .doesNotContain("10.0.1.2");
    }

    @Test
    void hostNetworkPodsAreNeverDispatched() {
        PolicyGraph g = webAndDb().pod("prod/agent", "n1", "192.168.0.1", p -> p.labels("app=db").hostNetwork())
                .policy("prod/db", p -> p.select("app=db")).graph();
        Ruleset rs = IptablesRenderer.render(g, "n1");
        assertThat(RestoreScript.install(rs.v4())).doesNotContain("192.168.0.1");
    }

    @Test
    void egressIsDispatchedOnSourceAndIngressOnDestinationAddress() {
        Ruleset rs = IptablesRenderer.render(webAndDb().policy("prod/web", p -> p.select("app=web")
                .types(PolicyType.INGRESS, PolicyType.EGRESS)).graph(), "n1");
        assertThat(specs(rs.v4(), Names.EGRESS)).singleElement().asString()
                .startsWith("-s 10.0.1.2/32 -j WEIR-EE-");
        assertThat(specs(rs.v4(), Names.INGRESS)).singleElement().asString()
                .startsWith("-d 10.0.1.2/32 -j WEIR-EI-");
    }

    @Test
    void podsWithTheSamePolicyListShareOneEndpointChain() {
        Ruleset rs = IptablesRenderer.render(webAndDb().policy("prod/all", p -> p.select("")).graph(), "n1");
        assertThat(specs(rs.v4(), Names.INGRESS)).hasSize(2)
                .extracting(s -> s.substring(s.indexOf("-j ")))
                .containsOnly("-j " + Names.endpointChain(PolicyType.INGRESS, List.of("prod/all")));
    }

    @ParameterizedTest(name = "{0} peer pods")
    @ValueSource(ints = {10, 10_000})
    void ruleCountDoesNotGrowWithPeerPods(int peers) {
        Cluster c = Cluster.cluster().pod("prod/db", "n1", "10.0.0.2", "app=db")
                .policy("prod/db", p -> p.select("app=db").ingress(rule(peers(pods("app=web")), tcp(5432))));
        for (int i = 0; i < peers; i++) {
            c.pod("prod/web-" + i, "n" + (2 + i % 50), "10.1." + (i / 250) + "." + (i % 250 + 1), "app=web");
        }
        Ruleset rs = IptablesRenderer.render(c.graph(), "n1");
        // 10 forward (the established fast path and its mark among them) + 3 input + 1 output + 1 dispatch + 7
        // endpoint-class (the policy's rule, merged into it, and the default deny's NFLOG rule among them), for 10 or
        // 10,000 peers
        assertThat(ruleCount(rs.v4())).isEqualTo(22);
        assertThat(rs.sets()).singleElement().extracting(s -> s.members().size()).isEqualTo(peers);
    }

    @Test
    void renderingIsDeterministic() {
        for (long seed = 1; seed <= 20; seed++) {
            Ruleset a = IptablesRenderer.render(RandomClusters.generate(seed).graph(), "n1");
            Ruleset b = IptablesRenderer.render(RandomClusters.generate(seed).graph(), "n1");
            assertThat(a).isEqualTo(b);
            assertThat(RestoreScript.install(a.v4()) + IpsetScript.install(a.sets()))
                    .isEqualTo(RestoreScript.install(b.v4()) + IpsetScript.install(b.sets()));
        }
    }

    @Test
    void onlySetsInTheSpanOfTheNodeAreRendered() {
        PolicyGraph g = webAndDb()
                .policy("prod/db", p -> p.select("app=db").ingress(rule(peers(pods("app=web")))))
                .policy("prod/web", p -> p.select("app=web").ingress(rule(peers(pods("app=api")))))
                .graph();
        Ruleset n2 = IptablesRenderer.render(g, "n2");
        String webGroup = g.policy("prod/db").ingress().get(0).peers().get(0).toString();
        assertThat(n2.sets()).extracting(IpSetSpec::name).hasSize(1);
        for (IpSetSpec s : n2.sets()) {
            String groupId = "g" + s.name().substring("weir-g4-".length());
            assertThat(g.span(groupId)).contains("n2");
        }
        assertThat(webGroup).isNotEmpty();
    }

    @Test
    void ipv4BlocksAppearOnlyInTheIpv4Ruleset() {
        PolicyGraph g = Cluster.cluster().pod("prod/web", "n1", "10.0.1.2,fd00::2", "app=web")
                .policy("prod/web", p -> p.ingress(rule(peers(block("192.0.2.0/24"), block("2001:db8::/32")))))
                .graph();
        Ruleset rs = IptablesRenderer.render(g, "n1");
        String v4 = RestoreScript.install(rs.v4());
        String v6 = RestoreScript.install(rs.v6());
        assertThat(v4).contains("weir-b4-").doesNotContain("weir-b6-");
        assertThat(v6).contains("weir-b6-").doesNotContain("weir-b4-");
    }

    @Test
    void ruleWhosePeersAreAllOfTheOtherFamilyMatchesNothingInsteadOfEverything() {
        PolicyGraph g = Cluster.cluster().pod("prod/web", "n1", "10.0.1.2,fd00::2", "app=web")
                .policy("prod/web", p -> p.ingress(rule(peers(block("192.0.2.0/24")))))
                .graph();
        Ruleset rs = IptablesRenderer.render(g, "n1");
        assertThat(specs(rs.v6(), Names.endpointChain(PolicyType.INGRESS, List.of("prod/web"))))
                .isNotEmpty().noneMatch(spec -> spec.endsWith("-j MARK --set-xmark 0x100000/0x100000"));
        assertThat(specs(rs.v4(), Names.endpointChain(PolicyType.INGRESS, List.of("prod/web"))))
                .anyMatch(spec -> spec.endsWith("-j MARK --set-xmark 0x100000/0x100000"));
    }

    @Test
    void namedIngressPortResolvesOnEachLocalSelectedPod() {
        PolicyGraph g = Cluster.cluster()
                .pod("prod/a", "n1", "10.0.1.2", p -> p.labels("app=web").port("http", 8080, Protocol.TCP))
                .pod("prod/b", "n1", "10.0.1.3", p -> p.labels("app=web").port("http", 80, Protocol.TCP))
                .pod("prod/c", "n2", "10.0.2.3", p -> p.labels("app=web").port("http", 81, Protocol.TCP))
                .policy("prod/web", p -> p.select("app=web").ingress(rule(anyPeer(), named(Protocol.TCP, "http"))))
                .graph();
        Ruleset rs = IptablesRenderer.render(g, "n1");
        assertThat(rs.sets()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo(IpSetSpec.Type.HASH_IP_PORT);
            assertThat(s.members()).containsExactly("10.0.1.2,tcp:8080", "10.0.1.3,tcp:80");
        });
    }

    @Test
    void slashZeroBlockIsSplitIntoTwoHalvesWithExceptsAsNomatch() {
        PolicyGraph g = Cluster.cluster().pod("prod/web", "n1", "10.0.1.2,fd00::2", "app=web")
                .policy("prod/web", p -> p.ingress(rule(peers(block("0.0.0.0/0", "10.0.0.0/8"), block("::/0")))))
                .graph();
        assertThat(IptablesRenderer.render(g, "n1").sets()).extracting(IpSetSpec::members).containsExactlyInAnyOrder(
                List.of("0.0.0.0/1", "10.0.0.0/8 nomatch", "128.0.0.0/1"), List.of("8000::/1", "::/1"));
    }

    @Test
    void everyNameFitsTheKernelLimitsAndEveryRuleCarriesItsHash() {
        for (long seed = 1; seed <= 30; seed++) {
            Ruleset rs = IptablesRenderer.render(RandomClusters.generate(seed).graph(), "n1");
            Set<String> names = new TreeSet<>();
            Stream.of(rs.v4(), rs.v6()).flatMap(f -> f.chains().stream()).forEach(c -> {
                names.add(c.name());
                assertThat(c.name()).startsWith("WEIR-").hasSizeLessThanOrEqualTo(28);
                assertThat(c.rules()).allMatch(IptablesRule::hashMatchesSpec);
            });
            assertThat(rs.sets()).allSatisfy(s -> assertThat(s.name()).startsWith("weir-").hasSizeLessThan(28));
        }
    }

    @Test
    void marksAreConfigurable() {
        RenderOptions o = new RenderOptions(0x1, 0x2, 0x4, 0x8);
        Ruleset rs = IptablesRenderer.render(webAndDb().policy("prod/db", p -> p.select("app=db")).graph(), "n1", o);
        assertThat(specs(rs.v4(), Names.FORWARD)).contains("-j MARK --set-xmark 0x0/0xf");
        // the default packet-mark bits are gone; the conntrack-mark bit 0x1000000 is another field
        assertThat(RestoreScript.install(rs.v4())).doesNotContainPattern("0x100000(?![0-9a-f])");
    }

    @Test
    void anAdmittedConnectionsEstablishedPacketsAreAcceptedRightAfterTheAntiSpoofingChecks() {
        Cluster c = Cluster.cluster().pod("prod/web", "n1", "10.0.1.2,fd00:1::2", "app=web")
                .pod("prod/db", "n1", "10.0.1.3,fd00:1::3", "app=db").policy("prod/db", p -> p.select("app=db"));
        Ruleset rs = IptablesRenderer.render(c.graph(), "n1", RenderOptions.defaults(), new LocalNetwork(
                java.util.Map.of(dev.weir.model.ObjectKey.pod("prod", "db"), PodInterface.routed("cali1234")),
                List.of(), false));
        for (FamilyRuleset family : List.of(rs.v4(), rs.v6())) {
            List<String> forward = specs(family, Names.FORWARD);
            int fastPath = forward.indexOf("-m conntrack --ctstate ESTABLISHED -m connmark --mark 0x1000000/0x1000000"
                    + " -j ACCEPT");
            assertThat(fastPath).as("%s", family.family()).isPositive();
            assertThat(forward.subList(0, fastPath)).as("before it, only the anti-spoofing chain (and IPv6's "
                    + "neighbour discovery)").allMatch(r -> r.equals("-j " + Names.FROM_POD) || r.contains("icmpv6"));
            assertThat(forward.subList(fastPath + 1, forward.size())).endsWith(
                    "-m mark --mark 0x0/0x400000 -j RETURN", "-m mark --mark 0x200000/0x200000 -j DROP",
                    "-m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x1000000/0x1000000", "-j ACCEPT");
            assertThat(specs(family, Names.INPUT)).as("INPUT returns to the host's rules: no fast path")
                    .noneMatch(r -> r.contains("connmark") || r.contains("CONNMARK"));
        }
    }

    @Test
    void theConnMarkMovesAndZeroRendersNoFastPath() {
        dev.weir.graph.PolicyGraph graph = webAndDb().policy("prod/db", p -> p.select("app=db")).graph();
        String moved = RestoreScript.install(IptablesRenderer.render(graph, "n1",
                RenderOptions.defaults().withConnMark(0x80000000)).v4());
        assertThat(moved).contains("-m connmark --mark 0x80000000/0x80000000", "CONNMARK --set-xmark "
                + "0x80000000/0x80000000").doesNotContain("0x1000000");
        String off = RestoreScript.install(IptablesRenderer.render(graph, "n1",
                RenderOptions.defaults().withConnMark(0)).v4());
        assertThat(off).doesNotContain("connmark").doesNotContain("CONNMARK");
        assertThat(specs(IptablesRenderer.render(graph, "n1", RenderOptions.defaults().withConnMark(0)).v4(),
                Names.FORWARD)).first().isEqualTo("-j MARK --set-xmark 0x0/0xf00000");
    }

    @Test
    void withoutAJudgedPodThereIsNoFastPath() {
        // nothing would ever set the mark; the rule would only cost each packet a match (and load conntrack)
        String none = RestoreScript.install(IptablesRenderer.render(webAndDb().graph(), "n1").v4());
        assertThat(none).doesNotContain("connmark").doesNotContain("CONNMARK");
        String elsewhere = RestoreScript.install(IptablesRenderer.render(webAndDb()
                .policy("prod/db", p -> p.select("app=db")).graph(), "n3").v4());
        assertThat(elsewhere).as("a node without the selected pods").doesNotContain("connmark");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0x3", "-1", "0x1ffffffff", "banana", "0x"})
    void aConnMarkOfMoreThanOneBitIsRefusedNamingIt(String text) {
        assertThatThrownBy(() -> RenderOptions.parseConnMark(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conntrack mark");
    }

    @Test
    void aConnMarkIsReadAsHexOrDecimal() {
        assertThat(RenderOptions.parseConnMark("0x1000000")).isEqualTo(RenderOptions.DEFAULT_CONN_MARK);
        assertThat(RenderOptions.parseConnMark(" 0X80000000 ")).isEqualTo(0x80000000);
        assertThat(RenderOptions.parseConnMark("256")).isEqualTo(0x100);
        assertThat(RenderOptions.parseConnMark("0")).isZero();
        assertThat(RenderOptions.defaults().connMark()).isEqualTo(0x1000000);
        assertThatThrownBy(() -> RenderOptions.defaults().withConnMark(0x3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single bit");
    }

    @ParameterizedTest(name = "accept={0}")
    @ValueSource(ints = {0, 0x3, 0x200000})
    void marksMustBeDistinctSingleBits(int accept) {
        assertThatThrownBy(() -> new RenderOptions(accept, 0x200000, 0x400000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "pass={0}")
    @ValueSource(ints = {0, 0x300000, 0x100000, 0x400000})
    void thePassMarkMustBeAFourthSingleBit(int pass) {
        assertThatThrownBy(() -> new RenderOptions(0x100000, 0x200000, 0x400000, pass))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultMaskIs0xf00000() {
        assertThat(RenderOptions.defaults().mask()).isEqualTo(0xf00000);
        assertThat(new RenderOptions(0x100000, 0x200000, 0x400000)).isEqualTo(RenderOptions.defaults());
    }

    @Test
    void aMaskGivesItsFourLowestBitsInOrderAcceptDropSeenPass() {
        assertThat(RenderOptions.fromMask(0xf00000)).isEqualTo(RenderOptions.defaults());
        assertThat(RenderOptions.parseMask("0xF0000000"))
                .isEqualTo(new RenderOptions(0x10000000, 0x20000000, 0x40000000, 0x80000000));
        assertThat(RenderOptions.parseMask(" 0x5500 ")).isEqualTo(new RenderOptions(0x100, 0x400, 0x1000, 0x4000));
        assertThat(RenderOptions.parseMask("983040")).isEqualTo(RenderOptions.fromMask(0xf0000));
        assertThat(RenderOptions.fromMask(0xff000).mask()).as("bits above the fourth stay unused").isEqualTo(0xf000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0x700000", "0", "-1", "0x1ffffffff", "banana", "0x"})
    void aMaskThatCannotHoldFourBitsIsRefusedNamingIt(String text) {
        assertThatThrownBy(() -> RenderOptions.parseMask(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mark mask");
    }

    @Test
    void rulesRenderedWithAnotherMaskGiveTheSameVerdicts() {
        RenderOptions o = RenderOptions.parseMask("0xf000");
        for (long seed = 1; seed <= 30; seed++) {
            dev.weir.graph.PolicyGraph graph = RandomClusters.generate(seed).graph();
            for (String node : RandomClusters.NODES) {
                String moved = RestoreScript.install(IptablesRenderer.render(graph, node, o).v4());
                assertThat(moved).doesNotContainPattern("0x[12]00000(?![0-9a-f])").contains("/0xf000");
                Netfilter shifted = new Netfilter(IptablesRenderer.render(graph, node, o));
                Netfilter standard = new Netfilter(IptablesRenderer.render(graph, node));
                for (dev.weir.model.Endpoint src : graph.endpoints().values()) {
                    for (dev.weir.model.Endpoint dst : graph.endpoints().values()) {
                        if (src.ip(dev.weir.model.IpFamily.V4).isEmpty() || dst.ip(dev.weir.model.IpFamily.V4).isEmpty()) {
                            continue;
                        }
                        Netfilter.Packet p = new Netfilter.Packet(src.ip(dev.weir.model.IpFamily.V4).get(),
                                dst.ip(dev.weir.model.IpFamily.V4).get(), dev.weir.model.Protocol.TCP, 80);
                        assertThat(shifted.traverse("FORWARD", p)).as("seed %d %s", seed, p)
                                .isEqualTo(standard.traverse("FORWARD", p));
                    }
                }
            }
        }
    }
}
