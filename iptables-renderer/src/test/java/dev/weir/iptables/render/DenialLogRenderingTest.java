package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.DenialLogging;
import dev.weir.model.IpFamily;
import dev.weir.model.LabelSelector;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import dev.weir.model.admin.ClusterPolicyPeer;
import dev.weir.model.admin.ClusterPolicyRule;
import dev.weir.model.admin.ClusterPolicySubject;
import dev.weir.model.admin.RuleAction;
import dev.weir.model.admin.RuleIndex;
import dev.weir.model.admin.Tier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Where the NFLOG rules of the denied-traffic log go and what they say ({@code docs/dataplane.md}, Denied-traffic
 * log). That every probe of the random clusters logs exactly Reachability's decisions is
 * {@link DataplaneMatchesReachabilityTest}'s; here are the shapes.
 */
class DenialLogRenderingTest {

    private static final String LIMIT =
            "-m hashlimit --hashlimit-upto 100/sec --hashlimit-burst 200 --hashlimit-name weir-100-200";

    private static List<String> specs(FamilyRuleset fr, String chain) {
        return fr.chains().stream().filter(c -> c.name().equals(chain)).findFirst()
                .map(c -> c.rules().stream().map(IptablesRule::spec).toList()).orElseThrow();
    }

    private static List<String> nflog(FamilyRuleset fr) {
        return fr.chains().stream().flatMap(c -> c.rules().stream()).map(IptablesRule::spec)
                .filter(s -> s.contains("-j NFLOG")).toList();
    }

    private static String prefix(Decision d) {
        return Names.NFLOG_PREFIX + Names.decisionId(d, 0);
    }

    /** prod/db (ingress default deny) and dev/cli on n1; dev/tool on n2. */
    private static Cluster defaultDeny() {
        return Cluster.cluster().namespace("prod", "team=a").namespace("dev", "team=b")
                .pod("prod/db", "n1", "10.0.1.3", "app=db")
                .pod("dev/cli", "n1", "10.0.1.7", "app=cli")
                .pod("dev/tool", "n2", "10.0.2.3", "app=tool")
                .policy("prod/deny", p -> p.select("app=db").types(PolicyType.INGRESS));
    }

    private static ClusterPolicy admin(String name, ClusterPolicyRule... ingress) {
        return new ClusterPolicy(name, Tier.ADMIN, 1, new ClusterPolicySubject.Namespaces(LabelSelector.all()),
                List.of(ingress), List.of());
    }

    private static ClusterPolicyRule rule(String name, RuleAction action, String nsLabels) {
        return new ClusterPolicyRule(name, action, List.of(new ClusterPolicyPeer.Namespaces(
                Cluster.selector(nsLabels))), List.of());
    }

    @Test
    void theDefaultDenyIsLoggedJustBeforeTheDropMarkIsSet() {
        Ruleset rs = IptablesRenderer.render(defaultDeny().graph(), "n1");
        String chain = Names.endpointChain(PolicyType.INGRESS, List.of("prod/deny"));
        Decision d = Decision.defaultDeny(PolicyType.INGRESS, List.of(ObjectKey.networkPolicy("prod", "deny")));
        // a default deny alone has no rule that could accept, so no accept check either
        assertThat(specs(rs.v4(), chain)).endsWith(
                "-m conntrack --ctstate INVALID -j DROP",
                LIMIT + " -j NFLOG --nflog-prefix " + prefix(d) + " --nflog-group 1047 --nflog-threshold 1",
                "-j MARK --set-xmark 0x200000/0x200000");
        assertThat(rs.decision(prefix(d))).contains(d);
        assertThat(rs.decisions()).containsOnlyKeys(Names.decisionId(d, 0));
    }

    @Test
    void aClusterPolicyRuleIsLoggedOnItsOwnBitBeforeItsReturnAndAnAdminPassNever() {
        ClusterPolicy p = admin("gate", rule("pass-b", RuleAction.PASS, "team=b"), rule("", RuleAction.DENY, ""),
                rule("ok", RuleAction.ACCEPT, "team=a"));
        Ruleset rs = IptablesRenderer.render(defaultDeny().clusterPolicy(p.withLoggedRules(Set.of(
                new RuleIndex(PolicyType.INGRESS, 0), new RuleIndex(PolicyType.INGRESS, 2)))).graph(), "n1");
        Decision deny = Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.DENY, PolicyTier.ADMIN, "gate",
                new Decision.RuleRef(1, ""));
        List<String> chain = specs(rs.v4(), Names.clusterPolicyChain(PolicyType.INGRESS, "gate"));
        int mark = chain.indexOf(chain.stream().filter(s -> s.endsWith("-j MARK --set-xmark 0x200000/0x200000"))
                .findFirst().orElseThrow());
        assertThat(chain.get(mark + 1)).isEqualTo("-m mark --mark 0x200000/0x200000 " + LIMIT
                + " -j NFLOG --nflog-prefix " + prefix(deny) + " --nflog-group 1047 --nflog-threshold 1");
        assertThat(chain.get(mark + 2)).isEqualTo("-m mark --mark 0x200000/0x200000 -j RETURN");
        assertThat(rs.decisions().values()).as("the Admin Pass, though listed, decides nothing").containsOnly(
                deny, Decision.defaultDeny(PolicyType.INGRESS, List.of(ObjectKey.networkPolicy("prod", "deny"))),
                Decision.clusterPolicyRule(PolicyType.INGRESS, Decision.Outcome.ALLOW, PolicyTier.ADMIN, "gate",
                        new Decision.RuleRef(2, "ok")));
        assertThat(chain.get(chain.size() - 1)).as("the last rule is logged too, though no RETURN follows it")
                .contains("-m mark --mark 0x100000/0x100000 " + LIMIT + " -j NFLOG");
    }

    @Test
    void anAcceptIsLoggedOnlyWhenThePolicyListsIt() {
        ClusterPolicy p = admin("gate", rule("ok", RuleAction.ACCEPT, "team=a"));
        assertThat(nflog(IptablesRenderer.render(defaultDeny().clusterPolicy(p).graph(), "n1").v4()))
                .noneMatch(s -> s.contains("0x100000/0x100000"));
    }

    @Test
    void aBaselinePassDecidesAndIsLoggedAsPass() {
        ClusterPolicy p = new ClusterPolicy("floor", Tier.BASELINE, 1, new ClusterPolicySubject.Namespaces(
                LabelSelector.all()), List.of(rule("np", RuleAction.PASS, "team=b")), List.of());
        Ruleset rs = IptablesRenderer.render(defaultDeny().clusterPolicy(p.withLoggedRules(Set.of(
                new RuleIndex(PolicyType.INGRESS, 0)))).graph(), "n1");
        assertThat(rs.decisions().values()).contains(Decision.clusterPolicyRule(PolicyType.INGRESS,
                Decision.Outcome.PASS, PolicyTier.BASELINE, "floor", new Decision.RuleRef(0, "np")));
    }

    @Test
    void aNamespaceAnnotatedOffIsLeftOutStaticallyOrThroughTheSet() {
        Cluster c = defaultDeny().denialLogging("prod", DenialLogging.OFF)
                .clusterPolicy(admin("gate", rule("", RuleAction.DENY, "team=c")));
        Ruleset rs = IptablesRenderer.render(c.graph(), "n1");
        String set = Names.denialLogSet(IpFamily.V4, true);
        assertThat(nflog(rs.v4())).as("no default deny rule for prod, the Deny's matches prod/db in the set")
                .singleElement().asString().startsWith("-m mark --mark 0x200000/0x200000 -m set ! --match-set "
                        + set + " dst " + LIMIT);
        assertThat(rs.sets()).filteredOn(s -> s.name().equals(set)).singleElement()
                .extracting(IpSetSpec::members).isEqualTo(List.of("10.0.1.3"));
    }

    @Test
    void withoutAnyNamespaceAnnotatedTheSetIsNotRendered() {
        Cluster c = defaultDeny().clusterPolicy(admin("gate", rule("", RuleAction.DENY, "team=c")));
        Ruleset rs = IptablesRenderer.render(c.graph(), "n1");
        assertThat(rs.sets()).noneMatch(s -> s.name().startsWith("weir-q"));
        assertThat(nflog(rs.v4())).hasSize(2).noneMatch(s -> s.contains("--match-set weir-q"));
    }

    @Test
    void optInLogsOnlyTheNamespacesThatAskAndNothingWhileNoneDoes() {
        RenderOptions optIn = RenderOptions.defaults().withDenialLog(DenialLog.defaults().withMode(
                DenialLog.Mode.OPT_IN));
        Cluster c = defaultDeny().clusterPolicy(admin("gate", rule("", RuleAction.DENY, "team=c")));
        Ruleset none = IptablesRenderer.render(c.graph(), "n1", optIn);
        assertThat(nflog(none.v4())).isEmpty();
        assertThat(none.decisions()).isEmpty();
        Ruleset devAsks = IptablesRenderer.render(c.denialLogging("dev", DenialLogging.ON).graph(), "n1", optIn);
        assertThat(nflog(devAsks.v4())).as("prod's default deny stays unlogged; the Deny matches dev/cli")
                .singleElement().asString().contains("-m set --match-set " + Names.denialLogSet(
                        IpFamily.V4, false) + " dst ");
    }

    @Test
    void offRendersTheRulesetOfEarlierReleasesWhateverTheAnnotationsSay() {
        Cluster c = defaultDeny().denialLogging("prod", DenialLogging.ON)
                .clusterPolicy(admin("gate", rule("", RuleAction.DENY, "team=c")));
        Ruleset rs = IptablesRenderer.render(c.graph(), "n1", RenderOptions.defaults().withDenialLog(DenialLog.off()));
        assertThat(nflog(rs.v4())).isEmpty();
        assertThat(rs.sets()).noneMatch(s -> s.name().startsWith("weir-q"));
        assertThat(rs.decisions()).isEmpty();
    }

    @Test
    void groupRateAndBurstAreTheOptionsAndGroupZeroIsLeftOutAsIptablesSavePrintsIt() {
        Cluster c = defaultDeny();
        RenderOptions o = RenderOptions.defaults().withDenialLog(DenialLog.defaults().withGroup(0).withRate(7, 9));
        assertThat(nflog(IptablesRenderer.render(c.graph(), "n1", o).v4())).singleElement().asString()
                .startsWith("-m hashlimit --hashlimit-upto 7/sec --hashlimit-burst 9 --hashlimit-name weir-7-9 -j NFLOG")
                .doesNotContain("--nflog-group");
        assertThat(Names.hashlimitName(DenialLog.defaults().withRate(DenialLog.MAX_RATE, DenialLog.MAX_BURST)))
                .as("hashlimit names hold 15 characters").hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> DenialLog.defaults().withRate(1001, 1)).hasMessageContaining("1-1000");
        assertThatThrownBy(() -> DenialLog.defaults().withRate(0, 1)).hasMessageContaining("rate");
        assertThatThrownBy(() -> DenialLog.defaults().withRate(1, 10_001)).hasMessageContaining("burst");
        assertThatThrownBy(() -> DenialLog.defaults().withGroup(65536)).hasMessageContaining("group");
    }

    @Test
    void theMarkOnlyConstructorsKeepTheDefaultLog() {
        assertThat(RenderOptions.defaults().denialLog()).isEqualTo(DenialLog.defaults());
        assertThat(RenderOptions.parseMask("0xf000").denialLog()).isEqualTo(DenialLog.defaults());
        assertThat(new RenderOptions(1, 2, 4).denialLog()).isEqualTo(new DenialLog(DenialLog.Mode.ON, 1047, 100, 200));
    }

    @Test
    void aDecisionsIdIsTheHashOfItsTextSoEveryNodeAndRestartAgrees() {
        Decision d = Decision.clusterPolicyRule(PolicyType.EGRESS, Decision.Outcome.DENY, PolicyTier.ADMIN,
                "deny-cloud-metadata", new Decision.RuleRef(0, "deny-metadata-service"));
        assertThat(Names.decisionText(d)).isEqualTo("direction=egress\noutcome=deny\ncause=cluster-policy-rule\n"
                + "tier=Admin\nobject=ClusterNetworkPolicy//deny-cloud-metadata\nrule=0/deny-metadata-service");
        assertThat(Names.decisionId(d, 0)).isEqualTo(dev.weir.graph.Ids.hex(Names.decisionText(d)).substring(0, 8));
        Ruleset n1 = IptablesRenderer.render(defaultDeny().graph(), "n1");
        Ruleset again = IptablesRenderer.render(defaultDeny().pod("prod/db2", "n2", "10.0.2.4", "app=db").graph(), "n2");
        assertThat(again.decisions()).isEqualTo(n1.decisions());
    }

    /**
     * Two decisions of one node whose ids collide (found by search: 8 hex collide among ~80,000 pods' spoofed-source
     * decisions) still get two prefixes, each read back as its own decision.
     */
    @Test
    void twoDecisionsWithOneIdGetTwoPrefixes() {
        String[] pair = collidingPods();
        Cluster c = Cluster.cluster().pod("p/" + pair[0], "n1", "10.0.1.2", "app=a")
                .pod("p/" + pair[1], "n1", "10.0.1.3", "app=b");
        Map<ObjectKey, PodInterface> interfaces = new TreeMap<>(Map.of(
                ObjectKey.pod("p", pair[0]), PodInterface.routed("cali1"),
                ObjectKey.pod("p", pair[1]), PodInterface.routed("cali2")));
        Ruleset rs = IptablesRenderer.render(c.graph(), "n1", RenderOptions.defaults(),
                new LocalNetwork(interfaces, List.of(), false));
        assertThat(rs.decisions()).hasSize(2);
        assertThat(rs.decisions().values()).containsExactlyInAnyOrder(
                Decision.spoofedSource(ObjectKey.pod("p", pair[0])), Decision.spoofedSource(ObjectKey.pod("p", pair[1])));
        for (String spec : nflog(rs.v4())) {
            Decision d = rs.decision(spec.split(" ")[spec.split(" ").length - 5]).orElseThrow();
            assertThat(spec).contains(d.objects().get(0).name().equals(pair[0]) ? "-i cali1" : "-i cali2");
        }
    }

    private static String[] collidingPods() {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String name = "p" + i;
            String id = Names.decisionId(Decision.spoofedSource(ObjectKey.pod("p", name)), 0);
            String other = seen.putIfAbsent(id, name);
            if (other != null) {
                return new String[] {other, name};
            }
        }
    }

    @Test
    void aPrefixNotWrittenByTheRulesetIsUnknown() {
        Ruleset rs = IptablesRenderer.render(defaultDeny().graph(), "n1");
        assertThat(rs.decision("weir:00000000")).isEmpty();
        assertThat(rs.decision("weir 1234abcd")).isEmpty();
        assertThat(rs.decision(null)).isEmpty();
        assertThat(rs.decisionsByPrefix().keySet()).allMatch(p -> p.matches("weir:[0-9a-f]{8}"));
    }
}
