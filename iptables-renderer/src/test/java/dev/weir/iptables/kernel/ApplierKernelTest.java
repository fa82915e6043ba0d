package dev.weir.iptables.kernel;

import static dev.weir.iptables.kernel.Kernel.iptables;
import static dev.weir.iptables.kernel.Kernel.save;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.iptables.apply.ApplyReport;
import dev.weir.iptables.apply.Cleanup;
import dev.weir.iptables.apply.DataplaneApplier;
import dev.weir.iptables.apply.DriftReport;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.iptables.render.Ruleset;
import dev.weir.model.IpFamily;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The applier against real iptables and ipset in a throwaway namespace, once per backend (never both in one). */
class ApplierKernelTest {

    private Kernel kernel;
    private TapRunner runner;

    @BeforeEach
    void namespace() {
        Kernel.assumeKernelTools();
        kernel = new Kernel();
        runner = new TapRunner(kernel.runner(kernel.create("apply")));
    }

    @AfterEach
    void removeNamespace() {
        if (kernel != null) {
            kernel.close();
        }
    }

    private static Ruleset web(int port, String... clients) {
        return KernelRulesets.server("10.251.0.3", port, 5353, 7777, clients);
    }

    private ApplyReport applyFresh(IptablesBackend backend, Ruleset ruleset) {
        runner.clear();
        return new DataplaneApplier(runner, backend).apply(ruleset);
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void applyInstallsHookChainsAndSetsAndReapplyRunsNoRestore(IptablesBackend backend) {
        applyFresh(backend, web(8080, "10.251.0.2"));

        String filter = save(runner, backend, IpFamily.V4);
        assertThat(filter).contains(":WEIR-FORWARD - [0:0]", ":WEIR-I-SERVER - [0:0]",
                "-A FORWARD -j WEIR-FORWARD\n",
                "-A WEIR-I-SERVER -p tcp -m tcp --dport 8080 -m set --match-set weir-wrb-clients src -m comment");
        assertThat(runner.run(List.of("ipset", "list", KernelRulesets.CLIENTS)).stdout()).contains("10.251.0.2");

        ApplyReport again = applyFresh(backend, web(8080, "10.251.0.2"));

        assertThat(again.isNoop()).isTrue();
        assertThat(runner.lines()).noneMatch(l -> l.contains("restore"));
        assertThat(save(runner, backend, IpFamily.V4)).isEqualTo(filter);
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void aPolicyChangeRewritesOnlyItsChain(IptablesBackend backend) {
        applyFresh(backend, web(8080, "10.251.0.2"));

        ApplyReport report = applyFresh(backend, web(8443, "10.251.0.2"));

        assertThat(report.v4().chainsWritten()).containsExactly("WEIR-I-SERVER");
        assertThat(report.setsCreated()).isEmpty();
        assertThat(report.setsUpdated()).isEmpty();
        assertThat(save(runner, backend, IpFamily.V4)).contains("--dport 8443").doesNotContain("--dport 8080");
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void aMembershipChangeTouchesOnlyTheIpset(IptablesBackend backend) {
        applyFresh(backend, web(8080, "10.251.0.2"));
        String filter = save(runner, backend, IpFamily.V4);

        ApplyReport report = applyFresh(backend, web(8080, "10.251.0.2", "10.251.0.4"));

        assertThat(report.setsUpdated()).containsExactly(KernelRulesets.CLIENTS);
        assertThat(runner.lines()).noneMatch(l -> l.contains("iptables") && l.contains("restore"));
        assertThat(runner.run(List.of("ipset", "list", KernelRulesets.CLIENTS)).stdout())
                .contains("10.251.0.2", "10.251.0.4");
        assertThat(runner.run(List.of("ipset", "list", "-n")).stdout()).doesNotContain("weir-tmp-");
        assertThat(save(runner, backend, IpFamily.V4)).isEqualTo(filter);
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void externallyDeletedChainsAndHooksAreFoundAndRepaired(IptablesBackend backend) {
        Ruleset desired = web(8080, "10.251.0.2");
        DataplaneApplier applier = new DataplaneApplier(runner, backend);
        applier.apply(desired);
        String filter = save(runner, backend, IpFamily.V4);
        iptables(runner, backend, "-D", "FORWARD", "-j", "WEIR-FORWARD");
        iptables(runner, backend, "-F", "WEIR-FORWARD");
        iptables(runner, backend, "-F", "WEIR-I-SERVER");
        iptables(runner, backend, "-X", "WEIR-I-SERVER");

        DriftReport drift = applier.checkDrift(desired);

        assertThat(drift.missingHooks()).containsExactly("v4 FORWARD -> WEIR-FORWARD");
        assertThat(drift.alteredChains()).containsExactly("v4 WEIR-FORWARD");
        assertThat(drift.missingChains()).containsExactly("v4 WEIR-I-SERVER");
        applier.apply(desired);
        assertThat(applier.checkDrift(desired).isClean()).isTrue();
        assertThat(save(runner, backend, IpFamily.V4)).isEqualTo(filter);
    }

    /** Someone else's change to what weir owns, and what the drift check must report for it. */
    record Tampering(String name, BiConsumer<TapRunner, IptablesBackend> change, Function<DriftReport, List<String>> found,
            String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> tamperings() {
        List<Tampering> cases = List.of(
                new Tampering("a flushed chain", (r, b) -> iptables(r, b, "-F", "WEIR-I-SERVER"),
                        DriftReport::alteredChains, "v4 WEIR-I-SERVER"),
                new Tampering("a deleted hook", (r, b) -> iptables(r, b, "-D", "FORWARD", "-j", "WEIR-FORWARD"),
                        DriftReport::missingHooks, "v4 FORWARD -> WEIR-FORWARD"),
                new Tampering("a removed set member",
                        (r, b) -> r.run(List.of("ipset", "del", KernelRulesets.CLIENTS, "10.251.0.2")).orThrow(),
                        DriftReport::alteredSets, KernelRulesets.CLIENTS + " (-1 +0)"),
                new Tampering("an added set member",
                        (r, b) -> r.run(List.of("ipset", "add", KernelRulesets.CLIENTS, "10.251.0.66")).orThrow(),
                        DriftReport::alteredSets, KernelRulesets.CLIENTS + " (-0 +1)"),
                new Tampering("a foreign rule inside a WEIR- chain",
                        (r, b) -> iptables(r, b, "-I", "WEIR-I-SERVER", "2", "-s", "10.251.0.66/32", "-j", "ACCEPT"),
                        DriftReport::alteredChains, "v4 WEIR-I-SERVER"));
        return Stream.of(IptablesBackend.values())
                .flatMap(b -> cases.stream().map(c -> Arguments.of(b, c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("tamperings")
    void eachTamperingIsFoundByTheDriftCheckAndUndoneByTheNextApply(IptablesBackend backend, Tampering tampering) {
        Ruleset desired = web(8080, "10.251.0.2", "10.251.0.4");
        DataplaneApplier applier = new DataplaneApplier(runner, backend);
        applier.apply(desired);
        String filter = save(runner, backend, IpFamily.V4);
        List<String> members = clients();
        assertThat(applier.checkDrift(desired).isClean()).isTrue();

        tampering.change().accept(runner, backend);
        DriftReport drift = applier.checkDrift(desired);

        assertThat(tampering.found().apply(drift)).as(drift.toString()).containsExactly(tampering.expected());
        applier.apply(desired);
        assertThat(applier.checkDrift(desired).isClean()).isTrue();
        assertThat(save(runner, backend, IpFamily.V4)).isEqualTo(filter);
        assertThat(clients()).isEqualTo(members);
    }

    /** The members of the clients set, sorted (the kernel lists them in hash order, and a refilled set re-hashes). */
    private List<String> clients() {
        return runner.run(List.of("ipset", "save", KernelRulesets.CLIENTS)).orThrow().stdout().lines()
                .filter(l -> l.startsWith("add ")).sorted().toList();
    }

    @ParameterizedTest
    @EnumSource(IptablesBackend.class)
    void cleanupRestoresExactlyThePriorStateAndKeepsForeignRules(IptablesBackend backend) {
        iptables(runner, backend, "-A", "FORWARD", "-s", "192.0.2.1/32", "-j", "ACCEPT");
        iptables(runner, backend, "-N", "FOREIGN");
        iptables(runner, backend, "-A", "FOREIGN", "-j", "RETURN");
        runner.run(List.of("ipset", "create", "foreign", "hash:ip")).orThrow();
        String before = save(runner, backend, IpFamily.V4);
        String before6 = save(runner, backend, IpFamily.V6);
        String sets = runner.run(List.of("ipset", "list")).stdout();
        applyFresh(backend, web(8080, "10.251.0.2"));
        assertThat(save(runner, backend, IpFamily.V4)).startsWith(before.substring(0, before.indexOf("-A FORWARD")))
                .contains("-A FORWARD -j WEIR-FORWARD\n-A FORWARD -s 192.0.2.1/32 -j ACCEPT\n");

        new Cleanup(runner, backend).run();

        assertThat(save(runner, backend, IpFamily.V4)).isEqualTo(before);
        assertThat(save(runner, backend, IpFamily.V6)).isEqualTo(before6);
        assertThat(runner.run(List.of("ipset", "list")).stdout()).isEqualTo(sets);
    }
}
