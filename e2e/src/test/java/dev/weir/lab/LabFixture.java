package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.cli.Main;
import dev.weir.iptables.sys.LibC;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.sys.ProcessRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A lab for kernel tests: its own state directory, the prefix {@value #PREFIX} (so a developer's {@code wl-} lab is
 * left alone), any free API port and no agents unless asked. Runs the real CLI, so the daemon is a real separate process.
 */
public final class LabFixture {

    /** {@code wl-t-}; {@code -Dweir.lab.test.prefix=wl-u-} lets a second checkout's tests run beside these. */
    public static final String PREFIX = System.getProperty("weir.lab.test.prefix", "wl-t-");

    private final Path stateDir;
    private LabState state;

    public LabFixture(Path stateDir) {
        this.stateDir = stateDir;
    }

    public static boolean root() {
        return LibC.get().getuid() == 0;
    }

    /** The commands a lab runs on its nodes and pods ({@code .ci/deps} installs them on Debian). */
    private static final List<String> TOOLS = List.of("ip", "iptables", "ipset", "conntrack", "ncat");

    /**
     * Skips the calling test unless a lab can run here: root (network namespaces) and every tool a lab runs, naming
     * the first one missing, so a fresh machine without them skips with the reason instead of failing.
     */
    public static void assumeLabCanRun() {
        assumeTrue(root(), "lab tests create network namespaces and need root: skipped");
        for (String tool : TOOLS) {
            assumeTrue(onPath(tool), "lab tests need " + tool + " on PATH (.ci/deps installs it): skipped");
        }
    }

    private static boolean onPath(String tool) {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }

    /** {@code weir lab up ...extra}; fails the test with the CLI's output if it does not come up. */
    public LabState up(String... extra) {
        List<String> args = new ArrayList<>(List.of("lab", "up", "--state-dir", stateDir.toString(), "--prefix",
                PREFIX, "--api-port", "0"));
        args.addAll(List.of(extra));
        if (!args.contains("--agents")) {
            args.addAll(List.of("--agents", "none"));
        }
        long t0 = System.nanoTime();
        Run r = weir(args);
        assertThat(r.code()).as("weir lab up: %s", r.output()).isZero();
        System.out.printf("lab up %s: %d ms%n", String.join(" ", extra), (System.nanoTime() - t0) / 1_000_000);
        state = store().read().orElseThrow();
        return state;
    }

    public Run down() {
        long t0 = System.nanoTime();
        Run r = weir(List.of("lab", "down", "--state-dir", stateDir.toString(), "--prefix", PREFIX));
        System.out.printf("lab down: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return r;
    }

    public StateStore store() {
        return new StateStore(stateDir);
    }

    public LabState state() {
        return state;
    }

    public Run weir(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    /** Waits (at most 30 s) until every node's agent reports ready: caches synced and its first apply done. */
    public void awaitAgentsReady() throws InterruptedException {
        int nodes = state.plan().nodes().size();
        List<String> lines = List.of();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Run status = weir(List.of("lab", "status", "--state-dir", stateDir.toString()));
            lines = status.output().lines().filter(l -> l.startsWith(PREFIX + "n")).toList();
            if (lines.size() == nodes && lines.stream().allMatch(l -> l.endsWith("ready"))) {
                return;
            }
            Thread.sleep(200);
        }
        assertThat(lines).as("every agent ready").hasSize(nodes).allSatisfy(l -> assertThat(l).endsWith("ready"));
    }

    /** {@code weir lab apply -f} of {@code yaml} (written to {@code file}); returns the nano time just before. */
    public long apply(String file, String yaml) throws java.io.IOException {
        Path f = Files.writeString(stateDir.resolve(file), yaml);
        long t = System.nanoTime();
        Run r = weir(List.of("lab", "apply", "--state-dir", stateDir.toString(), "-f", f.toString()));
        assertThat(r.code()).as(r.output()).isZero();
        return t;
    }

    /** Runs a command and returns its standard output (standard error discarded). */
    public static String sh(String... argv) throws java.io.IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** Network namespaces with the test prefix that still exist. */
    public static List<String> leftoverNetns() {
        return new LabTeardown(new StateStore(Path.of("/nonexistent")), new ProcessRunner())
                .existingWithPrefix(PREFIX);
    }

    public record Run(int code, String output) {
    }
}
