package dev.weir.iptables.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.apply.ApplyReport;
import dev.weir.iptables.apply.Cleanup;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.DriftReport;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.render.BridgeRuleset;
import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.Hook;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.Ruleset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The applier against the real bridge table ({@code ebtables-nft}) in a throwaway namespace ({@code wl2-…}), on both
 * iptables backends (on the legacy one the applier falls back to plain {@code ebtables} where no ebtables-legacy is
 * installed): install, an unchanged re-apply that writes nothing, each tampering found by the drift check and undone
 * by one apply, removal of the last port, and cleanup that leaves the table as it found it.
 */
class BridgeApplierKernelTest {

    private Kernel kernel;
    private TapRunner runner;

    @BeforeEach
    void namespace() {
        Kernel.assumeKernelTools("ebtables-nft-restore", "ebtables-nft-save", "ebtables-nft");
        kernel = new Kernel("wl2-");
        runner = new TapRunner(kernel.runner(kernel.create("apply")));
    }

    @AfterEach
    void removeNamespace() {
        if (kernel != null) {
            kernel.close();
        }
    }

    private static IptablesRule rule(String matches, String target) {
        return new IptablesRule(matches, target, "");
    }

    /** What the renderer writes for bridge-port pods (chains named by port here, for readable assertions). */
    private static Ruleset desired(String... ports) {
        List<IptablesRule> dispatch = new ArrayList<>();
        List<Chain> chains = new ArrayList<>();
        int n = 1;
        for (String port : ports) {
            String chain = "WEIR-L2-" + port;
            String mac = "02:00:00:00:00:0" + n;
            String ip = "10.244.1." + (++n);
            dispatch.add(rule("-i " + port, chain));
            chains.add(new Chain(chain, List.of(rule("-s ! " + mac, "DROP"),
                    rule("-p ARP --arp-ip-src " + ip + " --arp-mac-src " + mac, "RETURN"),
                    rule("-p IPv4 --ip-src " + ip, "RETURN"),
                    rule("-p IPv6 --ip6-src fe80::/10", "RETURN"),
                    rule("-p IPv6 --ip6-src :: --ip6-proto ipv6-icmp", "RETURN"),
                    rule("", "DROP"))));
        }
        chains.add(0, new Chain("WEIR-L2", dispatch));
        return Cleanup.nothing("wl2").withBridge(ports.length == 0 ? BridgeRuleset.EMPTY
                : new BridgeRuleset(List.of(new Hook("PREROUTING", "WEIR-L2")), chains));
    }

    /** {@code ebtables-save} without its timestamp comments. */
    private String save() {
        return runner.run(List.of("ebtables-nft-save")).orThrow().stdout().lines()
                .filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    private void ebtables(String... args) {
        List<String> argv = new ArrayList<>(List.of("ebtables-nft", "-t", "nat"));
        argv.addAll(List.of(args));
        runner.run(argv).orThrow();
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void applyInstallsTheChainsAndTheHookAndAnUnchangedReapplyWritesNothing(IptablesBackend backend) {
        ApplyReport first = new DataplaneApplier(runner, backend).apply(desired("va", "vb"));

        String saved = save();
        assertThat(saved).contains(":WEIR-L2 RETURN\n", ":WEIR-L2-va RETURN\n", "-A PREROUTING -j WEIR-L2\n",
                "-A WEIR-L2 -i va -j WEIR-L2-va\n-A WEIR-L2 -i vb -j WEIR-L2-vb\n",
                "-A WEIR-L2-vb -p ARP --arp-ip-src 10.244.1.3 --arp-mac-src 02:00:00:00:00:02 -j RETURN\n");
        assertThat(first.bridge().chainsWritten()).containsExactly("WEIR-L2", "WEIR-L2-va", "WEIR-L2-vb");
        runner.clear();

        ApplyReport again = new DataplaneApplier(runner, backend).apply(desired("va", "vb"));

        assertThat(again.isNoop()).isTrue();
        assertThat(runner.lines()).as("a fresh applier reads and writes nothing").noneMatch(l -> l.contains("restore"))
                .anyMatch(l -> l.startsWith("ebtables"));
        assertThat(save()).isEqualTo(saved);
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void removingAPortRewritesTheDispatchAndDropsItsChainAndTheLastPortTakesEverythingWithIt(
            IptablesBackend backend) {
        DataplaneApplier applier = new DataplaneApplier(runner, backend);
        applier.apply(desired("va", "vb"));

        ApplyReport one = applier.apply(desired("va"));

        assertThat(one.bridge().chainsWritten()).containsExactly("WEIR-L2");
        assertThat(one.bridge().chainsDeleted()).containsExactly("WEIR-L2-vb");
        assertThat(save()).doesNotContain("WEIR-L2-vb", "-i vb");

        applier.apply(desired());

        assertThat(save()).doesNotContain("WEIR");
    }

    /** Someone else's change to what weir owns in the bridge table, and what the drift check must report. */
    record Tampering(String name, String[] command, Function<DriftReport, List<String>> found, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> tamperings() {
        List<Tampering> cases = List.of(
                new Tampering("a flushed dispatch chain", new String[] {"-F", "WEIR-L2"},
                        DriftReport::alteredChains, "bridge WEIR-L2"),
                new Tampering("a deleted rule", new String[] {"-D", "WEIR-L2-va", "-s", "!", "02:00:00:00:00:01",
                    "-j", "DROP"}, DriftReport::alteredChains, "bridge WEIR-L2-va"),
                new Tampering("a foreign rule inside a port chain", new String[] {"-I", "WEIR-L2-vb", "1", "-j",
                    "RETURN"}, DriftReport::alteredChains, "bridge WEIR-L2-vb"),
                new Tampering("another policy", new String[] {"-P", "WEIR-L2-va", "ACCEPT"},
                        DriftReport::alteredChains, "bridge WEIR-L2-va"),
                new Tampering("a deleted hook", new String[] {"-D", "PREROUTING", "-j", "WEIR-L2"},
                        DriftReport::missingHooks, "bridge PREROUTING -> WEIR-L2"),
                new Tampering("a rule inserted above the hook", new String[] {"-I", "PREROUTING", "1", "-p", "IPv4",
                    "-j", "ACCEPT"}, DriftReport::missingHooks, "bridge PREROUTING -> WEIR-L2"),
                new Tampering("a deleted port chain", new String[] {"-X", "WEIR-L2-vb"},
                        DriftReport::missingChains, "bridge WEIR-L2-vb"),
                new Tampering("a WEIR- chain weir does not want", new String[] {"-N", "WEIR-L2-extra"},
                        DriftReport::staleChains, "bridge WEIR-L2-extra"));
        return Stream.of(IptablesBackend.values()).flatMap(b -> cases.stream().map(c -> Arguments.of(b, c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("tamperings")
    void eachTamperingIsFoundByTheDriftCheckAndUndoneByTheNextApply(IptablesBackend backend, Tampering tampering) {
        Ruleset desired = desired("va", "vb");
        DataplaneApplier applier = new DataplaneApplier(runner, backend);
        applier.apply(desired);
        String saved = save();
        assertThat(applier.checkDrift(desired).isClean()).isTrue();
        if (tampering.name().equals("a deleted port chain")) {
            ebtables("-F", "WEIR-L2"); // nf_tables deletes only a chain that is empty and not jumped to
            ebtables("-F", "WEIR-L2-vb");
        }

        ebtables(tampering.command());
        DriftReport drift = applier.checkDrift(desired);

        assertThat(tampering.found().apply(drift)).as(drift.toString()).contains(tampering.expected());
        runner.clear();
        applier.apply(desired);
        assertThat(runner.lines()).as("the repair is one restore, no second read").singleElement().asString()
                .matches("ebtables(-nft)?-restore --noflush");
        assertThat(applier.checkDrift(desired).isClean()).isTrue();
        String repaired = save();
        if (tampering.name().startsWith("a rule inserted above")) {
            assertThat(repaired).contains("-A PREROUTING -j WEIR-L2\n-A PREROUTING -p IPv4 -j ACCEPT\n");
        } else {
            assertThat(repaired).isEqualTo(saved);
        }
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void cleanupLeavesNoWeirChainAndNoHookAndKeepsForeignRules(IptablesBackend backend) {
        ebtables("-N", "FOREIGN", "-P", "RETURN");
        ebtables("-A", "PREROUTING", "-p", "IPv4", "-j", "FOREIGN");
        runner.run(List.of("ebtables-nft", "-A", "FORWARD", "-i", "eth9", "-j", "DROP")).orThrow();
        String before = save();
        new DataplaneApplier(runner, backend).apply(desired("va", "vb"));
        assertThat(save()).contains("-A PREROUTING -j WEIR-L2\n-A PREROUTING -p IPv4 -j FOREIGN\n");

        ApplyReport report = new Cleanup(runner, backend).run();

        assertThat(report.bridge().chainsDeleted()).containsExactly("WEIR-L2", "WEIR-L2-va", "WEIR-L2-vb");
        assertThat(report.bridge().hooksRemoved()).isEqualTo(1);
        assertThat(save()).isEqualTo(before).doesNotContain("WEIR");
    }
}
