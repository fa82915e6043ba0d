package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.graph.Ids;
import dev.weir.iptables.apply.InstalledBridge;
import dev.weir.iptables.apply.InstalledFamily;
import dev.weir.iptables.apply.InstalledHook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads each golden case into the real kernel, in a throwaway network namespace ({@code wra-…}), with the text
 * {@link RestoreScript} produces, then reads it back with {@code iptables-save} and {@link InstalledFamily}: every rule
 * is accepted, and what the kernel prints is exactly what was rendered (so rule hashes can be checked from one save).
 * Cases with bridge ports go through {@code ebtables-restore} and {@code ebtables-save} the same way. Needs root,
 * iptables and ipset (and ebtables for the bridge table); skipped otherwise.
 */
class KernelRoundTripTest {

    private String netns;

    @BeforeAll
    static void needsRootAndTools() {
        assumeTrue(Files.isDirectory(Path.of("/run")) && "root".equals(System.getProperty("user.name")),
                "kernel round trip needs root");
        for (String tool : List.of("ip", "iptables-restore", "ip6tables-restore", "ipset")) {
            assumeTrue(Stream.of("/usr/sbin", "/sbin", "/usr/bin").anyMatch(d -> Files.isExecutable(Path.of(d, tool))),
                    tool + " is not installed");
        }
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (netns != null) {
            run(List.of("ip", "netns", "del", netns), "");
        }
    }

    static Stream<String> cases() {
        return GoldenCases.CASES.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kernelAcceptsTheRulesetAndSavesItBackUnchanged(String name) throws Exception {
        netns = "wra-" + Ids.hex(name + ProcessHandle.current().pid()).substring(0, 8);
        assertThat(run(List.of("ip", "netns", "add", netns), "").exit).isZero();
        Ruleset rs = GoldenCases.render(name);

        assertOk(inNetns("ipset", "restore"), IpsetScript.install(rs.sets()));
        for (FamilyRuleset fr : List.of(rs.v4(), rs.v6())) {
            if (fr.chains().isEmpty()) {
                continue;
            }
            String tool = fr.family() == dev.weir.model.IpFamily.V4 ? "iptables" : "ip6tables";
            assertOk(inNetns(tool + "-restore", "--noflush", "--wait"), RestoreScript.install(fr));
            InstalledFamily saved = InstalledFamily.parse(assertOk(inNetns(tool + "-save", "-t", "filter"), ""));
            for (Chain c : fr.chains()) {
                assertThat(saved.chains().get(c.name())).as("%s %s", tool, c.name()).containsExactlyElementsOf(c.rules());
                assertThat(saved.chains().get(c.name())).allMatch(IptablesRule::hashMatchesSpec);
            }
            assertThat(saved.chains().keySet()).containsExactlyInAnyOrderElementsOf(
                    fr.chains().stream().map(Chain::name).toList());
            assertThat(fr.hooks()).allMatch(h -> saved.hooks().contains(atTop(h)));
        }
        if (!rs.bridge().isEmpty()) {
            assertBridgeSavesBackUnchanged(rs.bridge());
        }
        String ipsetSave = assertOk(inNetns("ipset", "save"), "");
        for (IpSetSpec s : rs.sets()) {
            List<String> members = new ArrayList<>();
            for (String line : ipsetSave.split("\n")) {
                if (line.startsWith("add " + s.name() + " ")) {
                    members.add(line.substring(("add " + s.name() + " ").length()));
                }
            }
            assertThat(members).as("members of %s", s.name()).containsExactlyInAnyOrderElementsOf(s.members());
        }
    }

    /**
     * The bridge table through {@code ebtables-restore --noflush} and back through {@code ebtables-save}: every rule
     * reads back as the very text rendered (not merely an equal {@link InstalledBridge#key}), every chain with policy
     * RETURN, and the hooks on top of FORWARD and INPUT.
     */
    private void assertBridgeSavesBackUnchanged(BridgeRuleset bridge) throws Exception {
        assumeTrue(Stream.of("/usr/sbin", "/sbin", "/usr/bin").anyMatch(d -> Files.isExecutable(
                Path.of(d, "ebtables-restore"))), "ebtables-restore is not installed");
        assertOk(inNetns("ebtables-restore", "--noflush"), EbtablesScript.install(bridge));
        InstalledBridge saved = InstalledBridge.parse(assertOk(inNetns("ebtables-save"), ""));
        for (Chain c : bridge.chains()) {
            assertThat(saved.chains().get(c.name())).as("ebtables %s", c.name())
                    .isEqualTo(new InstalledBridge.SavedChain(EbtablesScript.POLICY, c.rules()));
        }
        assertThat(saved.chains().keySet()).containsExactlyInAnyOrderElementsOf(
                bridge.chains().stream().map(Chain::name).toList());
        assertThat(bridge.hooks()).allMatch(h -> saved.hooks().contains(atTop(h)));
    }

    private List<String> inNetns(String... argv) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        out.addAll(List.of(argv));
        return out;
    }

    private static String assertOk(List<String> argv, String stdin) throws Exception {
        Result r = run(argv, stdin);
        assertThat(r.exit).as("%s failed: %s\ninput:\n%s", argv, r.err, stdin).isZero();
        return r.out;
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> argv, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(argv + " timed out");
        }
        return new Result(p.exitValue(), out, err);
    }

    /** How {@code iptables-save} shows a hook weir inserted: the first rule of its chain, a plain jump. */
    static InstalledHook atTop(Hook hook) {
        return new InstalledHook(hook.builtinChain(), 0, hook.target(), "-j " + hook.target());
    }
}
