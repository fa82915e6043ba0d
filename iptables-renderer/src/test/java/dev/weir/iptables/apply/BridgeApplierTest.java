package dev.weir.iptables.apply;

import static dev.weir.iptables.apply.Fixtures.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.EbtablesScript;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IpSetSpec;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The applier's handling of the bridge (ebtables) table, against a canned kernel. */
class BridgeApplierTest {

    private final Map<String, String> kernel = new HashMap<>();
    private final RecordingCommandRunner runner = new RecordingCommandRunner()
            .respond(c -> RecordingCommandRunner.result(c, 0, kernel.getOrDefault(c.line(), ""), ""));
    private final DataplaneApplier applier = new DataplaneApplier(runner, IptablesBackend.NFT);

    /** The renderer's shape: WEIR-L2 dispatching {@code -i PORT} to one chain per port. {@code "veth1=02:…"}. */
    static BridgeRuleset bridge(String... portMacs) {
        List<IptablesRule> dispatch = new ArrayList<>();
        List<Chain> chains = new ArrayList<>();
        for (String pm : portMacs) {
            String port = pm.split("=")[0];
            String chain = "WEIR-L2-" + port;
            dispatch.add(new IptablesRule("-i " + port, chain, ""));
            chains.add(new Chain(chain, List.of(new IptablesRule("-s ! " + pm.split("=")[1], "DROP", ""),
                    new IptablesRule("", "DROP", ""))));
        }
        chains.add(0, new Chain("WEIR-L2", dispatch));
        return new BridgeRuleset(List.of(new Hook("PREROUTING", "WEIR-L2")), chains);
    }

    private static Ruleset webWith(BridgeRuleset bridge) {
        return web("10.0.0.1").withBridge(bridge);
    }

    /** The canned kernel holds exactly the iptables rules and sets of {@code desired} (the bridge table apart). */
    private void kernelHoldsTheFilterTablesAndSetsOf(Ruleset desired) {
        kernel.put("iptables-nft-save -t filter",
                RestoreScript.install(desired.v4()).replace("-I FORWARD 1 ", "-A FORWARD "));
        StringBuilder sets = new StringBuilder();
        for (IpSetSpec set : desired.sets()) {
            sets.append("create ").append(set.name()).append(" hash:ip family inet hashsize 1024 maxelem 1048576\n");
            set.members().forEach(m -> sets.append("add ").append(set.name()).append(' ').append(m).append('\n'));
        }
        kernel.put("ipset save", sets.toString());
    }

    private List<RecordingCommandRunner.Call> calls(String prefix) {
        return runner.calls().stream().filter(c -> c.line().startsWith(prefix)).toList();
    }

    @Test
    void intoAnEmptyNamespaceEbtablesReceivesExactlyTheTextOfWeirRenderAfterTheIptablesRules() {
        Ruleset desired = webWith(bridge("veth1=02:00:00:00:00:01"));

        ApplyReport report = applier.apply(desired);

        assertThat(runner.lines()).containsExactly("iptables-nft-save -t filter", "ip6tables-nft-save -t filter",
                "ebtables-nft-save", "ipset list -n", "ipset restore", "iptables-nft-restore --noflush --wait",
                "ebtables-nft-restore --noflush");
        assertThat(calls("ebtables-nft-restore").get(0).stdin()).isEqualTo(EbtablesScript.install(desired.bridge()));
        assertThat(report.bridge().chainsWritten()).containsExactly("WEIR-L2", "WEIR-L2-veth1");
        assertThat(report.bridge().hooksInserted()).containsExactly("PREROUTING -> WEIR-L2");
        assertThat(report.bridgeSkipped()).isEmpty();
        assertThat(report.summary()).contains("bridge chains ~2 -0 hooks +1 -0");
    }

    @Test
    void reapplyingTheSameBridgeRunsNothing() {
        applier.apply(webWith(bridge("veth1=02:00:00:00:00:01")));
        runner.clear();

        ApplyReport report = applier.apply(webWith(bridge("veth1=02:00:00:00:00:01")));

        assertThat(runner.lines()).isEmpty();
        assertThat(report.isNoop()).isTrue();
    }

    @Test
    void aChangedPortRewritesOnlyItsChainInOneEbtablesRestore() {
        applier.apply(webWith(bridge("veth1=02:00:00:00:00:01", "veth2=02:00:00:00:00:02")));
        runner.clear();

        ApplyReport report = applier.apply(webWith(bridge("veth1=02:00:00:00:00:01", "veth2=02:00:00:00:00:22")));

        assertThat(runner.lines()).containsExactly("ebtables-nft-restore --noflush");
        assertThat(runner.calls().get(0).stdin()).isEqualTo("""
                *nat
                :WEIR-L2-veth2 RETURN
                -A WEIR-L2-veth2 -s ! 02:00:00:00:00:22 -j DROP
                -A WEIR-L2-veth2 -j DROP
                COMMIT
                """);
        assertThat(report.bridge().chainsWritten()).containsExactly("WEIR-L2-veth2");
    }

    @Test
    void whenNoBridgePortIsLeftEveryWeirChainAndHookLeavesTheBridgeTable() {
        applier.apply(webWith(bridge("veth1=02:00:00:00:00:01")));
        runner.clear();

        ApplyReport report = applier.apply(webWith(BridgeRuleset.EMPTY));

        assertThat(runner.lines()).containsExactly("ebtables-nft-restore --noflush");
        assertThat(runner.calls().get(0).stdin()).isEqualTo("""
                *nat
                :WEIR-L2 RETURN
                :WEIR-L2-veth1 RETURN
                -D PREROUTING -j WEIR-L2
                -X WEIR-L2
                -X WEIR-L2-veth1
                COMMIT
                """);
        assertThat(report.bridge().chainsDeleted()).containsExactly("WEIR-L2", "WEIR-L2-veth1");
        assertThat(report.bridge().hooksRemoved()).isEqualTo(1);
    }

    @Test
    void withoutEbtablesTheRestIsAppliedAndEveryReportSaysTheLayer2RulesWereSkipped() {
        runner.respond(missing(c -> c.argv().get(0).startsWith("ebtables")));
        Ruleset desired = webWith(bridge("veth1=02:00:00:00:00:01"));

        ApplyReport report = applier.apply(desired);

        assertThat(runner.lines())
                .contains("ebtables-nft-save", "ebtables-save", "iptables-nft-restore --noflush --wait")
                .noneMatch(l -> l.contains("ebtables") && l.contains("restore"));
        assertThat(report.v4().chainsWritten()).isNotEmpty();
        assertThat(report.bridgeSkipped())
                .contains("no ebtables on the node (ebtables-nft-save, ebtables-save not found)");
        assertThat(report.summary()).contains("bridge skipped (no ebtables on the node");
        kernelHoldsTheFilterTablesAndSetsOf(desired);
        assertThat(applier.checkDrift(desired).isClean()).as("an unusable bridge table is no drift").isTrue();
        runner.clear();
        ApplyReport again = applier.apply(desired);
        assertThat(runner.lines()).isEmpty();
        assertThat(again.bridgeSkipped()).isPresent();
        assertThat(again.isNoop()).isTrue();
    }

    @Test
    void withoutEbtablesAndWithoutBridgePortsNothingIsSkipped() {
        runner.respond(missing(c -> c.argv().get(0).startsWith("ebtables")));

        ApplyReport report = applier.apply(web("10.0.0.1"));

        assertThat(report.bridgeSkipped()).isEmpty();
        assertThat(report.summary()).contains("bridge chains ~0 -0 hooks +0 -0");
    }

    @Test
    void withoutEbtablesNftPlainEbtablesIsUsed() {
        runner.respond(missing(c -> c.argv().get(0).startsWith("ebtables-nft")));

        applier.apply(webWith(bridge("veth1=02:00:00:00:00:01")));

        assertThat(runner.lines()).contains("ebtables-nft-save", "ebtables-save", "ebtables-restore --noflush");
    }

    @Test
    void onTheLegacyBackendEbtablesLegacyComesFirst() {
        DataplaneApplier legacy = new DataplaneApplier(runner, IptablesBackend.LEGACY);

        legacy.apply(webWith(bridge("veth1=02:00:00:00:00:01")));

        assertThat(runner.lines()).contains("ebtables-legacy-save", "ebtables-legacy-restore --noflush")
                .doesNotContain("ebtables-save");
    }

    @Test
    void anEbtablesThatCannotReadTheBridgeTableIsReportedAndSkipped() {
        runner.respond(c -> RecordingCommandRunner.result(c, c.line().equals("ebtables-nft-save") ? 1 : 0, "",
                "table 'filter' does not exist"));

        ApplyReport report = applier.apply(webWith(bridge("veth1=02:00:00:00:00:01")));

        assertThat(report.bridgeSkipped()).hasValueSatisfying(why -> assertThat(why)
                .isEqualTo("ebtables-nft-save exited 1: table 'filter' does not exist"));
        assertThat(runner.lines()).doesNotContain("ebtables-save", "ebtables-nft-restore --noflush");
    }

    @Test
    void anEbtablesThatStopsWorkingAfterAnApplyIsSkippedNotCalled() {
        Ruleset desired = webWith(bridge("veth1=02:00:00:00:00:01"));
        applier.apply(desired);
        kernelHoldsTheFilterTablesAndSetsOf(desired);
        runner.respond(c -> RecordingCommandRunner.result(c, c.line().equals("ebtables-nft-save") ? 1 : 0,
                kernel.getOrDefault(c.line(), ""), "no bridge table"));
        assertThat(applier.checkDrift(desired).isClean()).isTrue();
        runner.clear();

        ApplyReport report = applier.apply(desired.withBridge(BridgeRuleset.EMPTY));

        assertThat(runner.lines()).isEmpty();
        assertThat(report.isNoop()).isTrue();
        assertThat(applier.apply(desired).bridgeSkipped()).hasValue("ebtables-nft-save exited 1: no bridge table");
    }

    @Test
    void aFlushedDispatchChainAndADeletedHookAreDriftAndTheNextApplyRepairsExactlyThem() {
        Ruleset desired = webWith(bridge("veth1=02:00:00:00:00:01"));
        applier.apply(desired);
        kernelHoldsTheFilterTablesAndSetsOf(desired);
        kernel.put("ebtables-nft-save", """
                *filter
                :INPUT ACCEPT
                :FORWARD ACCEPT
                :OUTPUT ACCEPT
                *nat
                :PREROUTING ACCEPT
                :OUTPUT ACCEPT
                :POSTROUTING ACCEPT
                :WEIR-L2 RETURN
                :WEIR-L2-veth1 RETURN
                -A PREROUTING -p IPv4 -j ACCEPT
                -A WEIR-L2-veth1 -s ! 02:00:00:00:00:01 -j DROP
                -A WEIR-L2-veth1 -j DROP
                """);
        runner.clear();

        DriftReport drift = applier.checkDrift(desired);

        assertThat(drift.alteredChains()).containsExactly("bridge WEIR-L2");
        assertThat(drift.missingHooks()).containsExactly("bridge PREROUTING -> WEIR-L2");
        assertThat(drift.missingChains()).isEmpty();
        assertThat(drift.staleChains()).isEmpty();
        runner.clear();
        ApplyReport repair = applier.apply(desired);
        assertThat(runner.lines()).containsExactly("ebtables-nft-restore --noflush");
        assertThat(runner.calls().get(0).stdin()).isEqualTo("""
                *nat
                :WEIR-L2 RETURN
                -A WEIR-L2 -i veth1 -j WEIR-L2-veth1
                -I PREROUTING 1 -j WEIR-L2
                COMMIT
                """);
        assertThat(repair.bridge().chainsWritten()).containsExactly("WEIR-L2");
    }

    @Test
    void aHookBelowAForeignRuleAndAStaleWeirChainAreDrift() {
        Ruleset desired = webWith(bridge("veth1=02:00:00:00:00:01"));
        applier.apply(desired);
        kernelHoldsTheFilterTablesAndSetsOf(desired);
        kernel.put("ebtables-nft-save", EbtablesScript.install(desired.bridge())
                .replace("-I PREROUTING 1 -j WEIR-L2\n",
                        "-A PREROUTING -p IPv4 -j ACCEPT\n-A PREROUTING -j WEIR-L2\n")
                .replace(":WEIR-L2 RETURN", ":WEIR-L2 RETURN\n:WEIR-L2-old RETURN"));

        DriftReport drift = applier.checkDrift(desired);

        assertThat(drift.missingHooks()).containsExactly("bridge PREROUTING -> WEIR-L2");
        assertThat(drift.staleChains()).containsExactly("bridge WEIR-L2-old");
        assertThat(drift.alteredChains()).isEmpty();
    }

    @Test
    void cleanupRemovesWeirBridgeChainsAndHooksAndLeavesForeignOnes() {
        kernel.put("ebtables-nft-save", """
                *nat
                :PREROUTING ACCEPT
                :OUTPUT ACCEPT
                :POSTROUTING ACCEPT
                :FOREIGN RETURN
                :WEIR-L2 RETURN
                :WEIR-L2-veth1 RETURN
                -A PREROUTING -j WEIR-L2
                -A PREROUTING -j FOREIGN
                -A OUTPUT -j WEIR-L2
                -A WEIR-L2 -i veth1 -j WEIR-L2-veth1
                -A WEIR-L2-veth1 -j DROP
                """);

        ApplyReport report = new Cleanup(runner, IptablesBackend.NFT).run();

        assertThat(calls("ebtables-nft-restore").get(0).stdin()).isEqualTo("""
                *nat
                :WEIR-L2 RETURN
                :WEIR-L2-veth1 RETURN
                -D PREROUTING -j WEIR-L2
                -D OUTPUT -j WEIR-L2
                -X WEIR-L2
                -X WEIR-L2-veth1
                COMMIT
                """);
        assertThat(report.bridge().hooksRemoved()).isEqualTo(2);
    }

    @Test
    void aFailedEbtablesRestoreIsTypedAndMakesTheNextApplyReadTheKernel() {
        applier.apply(web("10.0.0.1"));
        runner.clear();
        runner.failNext(4, "line 3: RULE_APPEND failed");

        assertThatThrownBy(() -> applier.apply(webWith(bridge("veth1=02:00:00:00:00:01"))))
                .isInstanceOfSatisfying(ApplyException.class, e ->
                        assertThat(e.command()).containsExactly("ebtables-nft-restore", "--noflush"));

        runner.clear();
        applier.apply(webWith(bridge("veth1=02:00:00:00:00:01")));
        assertThat(runner.lines()).startsWith("iptables-nft-save -t filter").contains("ebtables-nft-save");
    }

    /** Answers like a node where the commands {@code absent} picks are not installed: they cannot be started. */
    private Function<RecordingCommandRunner.Call, CommandRunner.Result> missing(
            java.util.function.Predicate<RecordingCommandRunner.Call> absent) {
        return c -> {
            if (absent.test(c)) {
                throw new ApplyException(c.argv(), -1, "", "cannot run " + c.line() + ": No such file or directory");
            }
            return RecordingCommandRunner.result(c, 0, kernel.getOrDefault(c.line(), ""), "");
        };
    }
}
