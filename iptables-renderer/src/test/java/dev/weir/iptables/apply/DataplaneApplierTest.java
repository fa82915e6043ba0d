package dev.weir.iptables.apply;

import static dev.weir.iptables.apply.Fixtures.chain;
import static dev.weir.iptables.apply.Fixtures.plusChain;
import static dev.weir.iptables.apply.Fixtures.plusSet;
import static dev.weir.iptables.apply.Fixtures.rule;
import static dev.weir.iptables.apply.Fixtures.set;
import static dev.weir.iptables.apply.Fixtures.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.Names;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataplaneApplierTest {

    /** Canned kernel: answers saves and {@code ipset list -n} from the text set here. */
    private final Map<String, String> kernel = new HashMap<>();
    private final RecordingCommandRunner runner = new RecordingCommandRunner()
            .respond(c -> RecordingCommandRunner.result(c, 0, kernel.getOrDefault(c.line(), ""), ""));
    private final DataplaneApplier applier = new DataplaneApplier(runner, IptablesBackend.NFT);

    private RecordingCommandRunner.Call only(String prefix) {
        return runner.calls().stream().filter(c -> c.line().startsWith(prefix)).reduce((a, b) -> {
            throw new AssertionError("more than one call starting " + prefix + ": " + runner.lines());
        }).orElseThrow(() -> new AssertionError("no call starting " + prefix + ": " + runner.lines()));
    }

    @Test
    void firstApplyReadsTheKernelThenCreatesSetsBeforeOneRestorePerChangedFamily() {
        ApplyReport report = applier.apply(web("10.0.0.1"));

        assertThat(runner.lines()).containsExactly(
                "iptables-nft-save -t filter", "ip6tables-nft-save -t filter", "ebtables-nft-save", "ipset list -n",
                "ipset restore", "iptables-nft-restore --noflush --wait");
        assertThat(only("ipset restore").stdin()).isEqualTo("""
                create weir-clients hash:ip family inet hashsize 1024 maxelem 1048576 -exist
                flush weir-clients
                add weir-clients 10.0.0.1
                """);
        String restore = only("iptables-nft-restore").stdin();
        assertThat(restore).startsWith("*filter\n:WEIR-FORWARD - [0:0]\n:WEIR-I-WEB - [0:0]\n")
                .contains("-A WEIR-I-WEB -p tcp -m tcp --dport 80 -m set --match-set weir-clients src "
                        + "-m comment --comment \"default/allow-clients ")
                .contains("-I FORWARD 1 -j WEIR-FORWARD\n").endsWith("COMMIT\n");
        assertThat(report.setsCreated()).containsExactly("weir-clients");
        assertThat(report.v4().chainsWritten()).containsExactly("WEIR-FORWARD", "WEIR-I-WEB");
        assertThat(report.readKernel()).isTrue();
    }

    @Test
    void intoAnEmptyNamespaceTheKernelReceivesExactlyTheTextOfWeirRenderAndTheGoldenFiles() {
        Ruleset ruleset = web("10.0.0.1");

        applier.apply(ruleset);

        assertThat(only("ipset restore").stdin()).isEqualTo(IpsetScript.install(ruleset.sets()));
        assertThat(only("iptables-nft-restore").stdin()).isEqualTo(RestoreScript.install(ruleset.v4()));
    }

    @Test
    void reapplyingTheSameRulesetRunsNothing() {
        applier.apply(web("10.0.0.1"));
        runner.clear();

        ApplyReport report = applier.apply(web("10.0.0.1"));

        assertThat(runner.lines()).isEmpty();
        assertThat(report.isNoop()).isTrue();
    }

    @Test
    void aMembershipChangeDeletesAndAddsOnlyTheChangedMembersOfThatSet() {
        applier.apply(web("10.0.0.1", "10.0.0.2"));
        runner.clear();

        ApplyReport report = applier.apply(web("10.0.0.2", "10.0.0.3"));

        assertThat(runner.lines()).containsExactly("ipset restore");
        assertThat(runner.calls().get(0).stdin()).isEqualTo("""
                del weir-clients 10.0.0.1 -exist
                add weir-clients 10.0.0.3 -exist
                """);
        assertThat(report.setsUpdated()).containsExactly("weir-clients");
        assertThat(report.setsSwapped()).isEmpty();
        assertThat(report.membersAdded()).isEqualTo(1);
        assertThat(report.membersRemoved()).isEqualTo(1);
        assertThat(report.v4().isEmpty()).isTrue();
        assertThat(report.summary()).startsWith("sets +0 ~1 (members +1 -1, swapped 0) -0,");
    }

    @Test
    void aNewSetAndMemberChangesGoInOneBatchBeforeTheRulesThatNameItAndStaleSetsAreDestroyedAfter() {
        applier.apply(plusSet(web("10.0.0.1"), set("weir-old", "10.9.9.9")));
        runner.clear();
        Ruleset next = plusSet(plusChain(web("10.0.0.1", "10.0.0.5"),
                chain("WEIR-NEW", rule("-m set --match-set weir-new src", "ACCEPT", "new"))), set("weir-new", "10.7.7.7"));

        applier.apply(next);

        assertThat(runner.lines()).containsExactly("ipset restore", "iptables-nft-restore --noflush --wait",
                "ipset restore");
        assertThat(runner.calls().get(0).stdin()).isEqualTo("""
                create weir-new hash:ip family inet hashsize 1024 maxelem 1048576 -exist
                flush weir-new
                add weir-new 10.7.7.7
                add weir-clients 10.0.0.5 -exist
                """);
        assertThat(runner.calls().get(2).stdin()).isEqualTo("destroy weir-old\n");
    }

    @Test
    void aChangeLargerThanTheSetItLeavesRefillsAndSwapsTheSet() {
        String[] before = new String[ApplyPlan.IN_PLACE_FLOOR + 1];
        for (int i = 0; i < before.length; i++) {
            before[i] = "10.0.1." + i;
        }
        applier.apply(web(before));
        runner.clear();

        ApplyReport report = applier.apply(web("10.0.0.1"));

        String tmp = Names.tempSet("weir-clients");
        assertThat(runner.calls().get(0).stdin()).isEqualTo(
                "create " + tmp + " hash:ip family inet hashsize 1024 maxelem 1048576 -exist\n"
                        + "flush " + tmp + "\nadd " + tmp + " 10.0.0.1\n"
                        + "swap " + tmp + " weir-clients\ndestroy " + tmp + "\n");
        assertThat(report.setsSwapped()).containsExactly("weir-clients");
        assertThat(report.setsUpdated()).containsExactly("weir-clients");
        assertThat(report.membersAdded()).isZero();
    }

    @Test
    void aFailedMemberBatchMakesTheNextApplyReadTheSetAndSwapInExactlyTheWantedMembers() {
        applier.apply(web("10.0.0.1", "10.0.0.2"));
        runner.clear();
        runner.failNext(1, "ipset v7.17: Error in line 2: Element cannot be added to the set");

        assertThatThrownBy(() -> applier.apply(web("10.0.0.2", "10.0.0.3")))
                .isInstanceOfSatisfying(ApplyException.class, e -> assertThat(e.exitCode()).isEqualTo(1));
        assertThat(runner.lines()).as("no rule is written after a failed set batch").containsExactly("ipset restore");

        // the kernel holds whatever part of the batch got in: here its first line, the del
        kernel.put("ipset list -n", "weir-clients\n");
        kernel.put("ipset save weir-clients", "create weir-clients hash:ip family inet hashsize 1024 maxelem 1048576\n"
                + "add weir-clients 10.0.0.2\n");
        runner.clear();
        ApplyReport repair = applier.apply(web("10.0.0.2", "10.0.0.3"));

        assertThat(repair.readKernel()).isTrue();
        assertThat(repair.setsSwapped()).containsExactly("weir-clients");
        String tmp = Names.tempSet("weir-clients");
        assertThat(only("ipset restore").stdin()).contains("add " + tmp + " 10.0.0.2\nadd " + tmp + " 10.0.0.3\n",
                "swap " + tmp + " weir-clients\n");
    }

    @Test
    void aPolicyChangeRewritesOnlyTheChainsWhoseHashesChanged() {
        applier.apply(web(80, "10.0.0.1"));
        runner.clear();

        ApplyReport report = applier.apply(web(8080, "10.0.0.1"));

        assertThat(runner.lines()).containsExactly("iptables-nft-restore --noflush --wait");
        String restore = runner.calls().get(0).stdin();
        assertThat(restore).contains(":WEIR-I-WEB - [0:0]", "--dport 8080")
                .doesNotContain("WEIR-FORWARD", "-I ", "-X ");
        assertThat(report.v4().chainsWritten()).containsExactly("WEIR-I-WEB");
    }

    @Test
    void staleChainsAreFlushedAndDeletedInTheSameRestoreAndStaleSetsDestroyedAfterIt() {
        Ruleset bigger = plusSet(plusChain(web("10.0.0.1"), chain("WEIR-OLD", rule("", "RETURN", "old"))),
                set("weir-old", "10.9.9.9"));
        applier.apply(bigger);
        runner.clear();

        ApplyReport report = applier.apply(web("10.0.0.1"));

        assertThat(runner.lines()).containsExactly("iptables-nft-restore --noflush --wait", "ipset restore");
        assertThat(runner.calls().get(0).stdin()).isEqualTo("*filter\n:WEIR-OLD - [0:0]\n-X WEIR-OLD\nCOMMIT\n");
        assertThat(runner.calls().get(1).stdin()).isEqualTo("destroy weir-old\n");
        assertThat(report.setsDestroyed()).containsExactly("weir-old");
        assertThat(report.v4().chainsDeleted()).containsExactly("WEIR-OLD");
    }

    @Test
    void aFailedRestoreIsTypedKeepsStaleSetsAndMakesTheNextApplyReadTheKernel() {
        Ruleset withOld = plusSet(web("10.0.0.1"), set("weir-old", "10.9.9.9"));
        applier.apply(withOld);
        runner.clear();
        runner.failNext(4, "iptables-restore: line 3 failed");

        assertThatThrownBy(() -> applier.apply(web(8080, "10.0.0.1")))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.command()).containsExactly("iptables-nft-restore", "--noflush", "--wait");
                    assertThat(e.exitCode()).isEqualTo(4);
                    assertThat(e.stderr()).contains("line 3 failed");
                });
        assertThat(runner.lines()).noneMatch(l -> l.startsWith("ipset"));

        runner.clear();
        applier.apply(web(8080, "10.0.0.1"));
        assertThat(runner.lines()).startsWith("iptables-nft-save -t filter");
    }

    @Test
    void readsInstalledChainsFromSaveAndLeavesForeignRulesAlone() {
        Ruleset desired = web("10.0.0.1");
        String keysWeb = desired.v4().chains().get(1).rules().stream()
                .map(r -> "-A WEIR-I-WEB -j X -m comment --comment \"" + r.comment() + "\"")
                .reduce("", (a, b) -> a + b + "\n");
        kernel.put("iptables-nft-save -t filter", """
                *filter
                :INPUT ACCEPT [0:0]
                :FORWARD DROP [0:0]
                :OUTPUT ACCEPT [0:0]
                :FLANNEL-FWD - [0:0]
                :WEIR-I-WEB - [0:0]
                -A FORWARD -j FLANNEL-FWD
                -A FORWARD -j WEIR-FORWARD
                -A FLANNEL-FWD -s 10.244.0.0/16 -j ACCEPT
                """ + keysWeb + "COMMIT\n");
        kernel.put("ipset list -n", "KUBE-X\nweir-clients\n");
        kernel.put("ipset save weir-clients",
                "create weir-clients hash:ip family inet hashsize 1024 maxelem 65536\nadd weir-clients 10.0.0.1\n");

        applier.apply(desired);

        assertThat(runner.lines()).containsExactly("iptables-nft-save -t filter", "ip6tables-nft-save -t filter",
                "ebtables-nft-save", "ipset list -n", "ipset save weir-clients",
                "iptables-nft-restore --noflush --wait");
        assertThat(only("iptables-nft-restore").stdin())
                .startsWith("*filter\n:WEIR-FORWARD - [0:0]\n-D FORWARD -j WEIR-FORWARD\n")
                .contains("-I FORWARD 1 -j WEIR-FORWARD\n")
                .doesNotContain("FLANNEL", ":WEIR-I-WEB", "KUBE");
    }

    @Test
    void driftFoundByTheCheckIsRepairedByTheNextApply() {
        Ruleset desired = web("10.0.0.1");
        applier.apply(desired);
        runner.clear();

        DriftReport drift = applier.checkDrift(desired);

        assertThat(runner.lines()).containsExactly("iptables-nft-save -t filter", "ip6tables-nft-save -t filter",
                "ebtables-nft-save", "ipset save");
        assertThat(drift.missingChains()).containsExactly("v4 WEIR-FORWARD", "v4 WEIR-I-WEB");
        assertThat(drift.missingHooks()).containsExactly("v4 FORWARD -> WEIR-FORWARD");
        assertThat(drift.missingSets()).containsExactly("weir-clients");
        runner.clear();
        ApplyReport repair = applier.apply(desired);
        assertThat(repair.readKernel()).isTrue();
        assertThat(runner.lines()).as("the repair plans against what the check read").noneMatch(l -> l.contains("save"));
        assertThat(repair.v4().chainsWritten()).hasSize(2);
        assertThat(repair.setsCreated()).containsExactly("weir-clients");
    }

    @Test
    void aRemovedAndAForeignSetMemberAreDriftAndTheRepairRefillsOnlyThatSet() {
        Ruleset desired = plusSet(web("10.0.0.1"), set("weir-other", "10.9.9.9"));
        applier.apply(desired);
        kernel.put("iptables-nft-save -t filter",
                RestoreScript.install(desired.v4()).replace("-I FORWARD 1 ", "-A FORWARD "));
        kernel.put("ipset save", """
                create KUBE-X hash:ip family inet hashsize 1024 maxelem 65536
                add KUBE-X 10.1.1.1
                create weir-clients hash:ip family inet hashsize 1024 maxelem 65536
                add weir-clients 10.0.0.66
                create weir-other hash:ip family inet hashsize 1024 maxelem 65536
                add weir-other 10.9.9.9
                """);
        runner.clear();

        DriftReport drift = applier.checkDrift(desired);

        assertThat(drift.alteredSets()).containsExactly("weir-clients (-1 +1)");
        assertThat(drift.missingChains()).isEmpty();
        assertThat(drift.alteredChains()).isEmpty();
        assertThat(drift.missingHooks()).isEmpty();
        assertThat(drift.staleSets()).isEmpty();
        runner.clear();
        ApplyReport repair = applier.apply(desired);
        assertThat(runner.lines()).containsExactly("ipset restore");
        assertThat(repair.setsUpdated()).containsExactly("weir-clients");
        assertThat(repair.setsSwapped()).as("drift is repaired by a swap, not in place").containsExactly("weir-clients");
        assertThat(runner.calls().get(0).stdin()).contains("swap " + Names.tempSet("weir-clients") + " weir-clients");
        runner.clear();
        assertThat(applier.checkDrift(web("10.0.0.66")).alteredSets()).as("a member weir wants is no drift").isEmpty();
    }

    @Test
    void cleanupRemovesEveryWeirHookChainAndSetAndNothingElse() {
        kernel.put("iptables-nft-save -t filter", """
                *filter
                :FORWARD ACCEPT [0:0]
                :KUBE-FORWARD - [0:0]
                :WEIR-FORWARD - [0:0]
                :WEIR-I-X - [0:0]
                -A FORWARD -j WEIR-FORWARD
                -A FORWARD -m comment --comment "kube" -j KUBE-FORWARD
                -A WEIR-FORWARD -j WEIR-I-X -m comment --comment "a 00000000"
                COMMIT
                """);
        kernel.put("ipset list -n", "weir-a\nKUBE-Y\n");

        ApplyReport report = new Cleanup(runner, IptablesBackend.NFT).run();

        assertThat(only("iptables-nft-restore").stdin()).isEqualTo("""
                *filter
                :WEIR-FORWARD - [0:0]
                :WEIR-I-X - [0:0]
                -D FORWARD -j WEIR-FORWARD
                -X WEIR-FORWARD
                -X WEIR-I-X
                COMMIT
                """);
        assertThat(runner.calls().get(runner.calls().size() - 1).stdin()).isEqualTo("destroy weir-a\n");
        assertThat(report.v4().hooksRemoved()).isEqualTo(1);
    }
}
