package dev.weir.lab.image;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.lab.LabFixture;
import dev.weir.lab.state.LabState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The image the image-agent suites run: {@code images/target} of this checkout, built with {@code images/build} when
 * it is missing or older than the controller jar (about 30 s with the base in the cache, 2-4 min without). Where it
 * cannot be built (no mmdebstrap, no network to Debian's archive, not root) the suites are skipped saying why.
 */
public final class ImageFixture {

    static final Path ROOT = Path.of(System.getProperty("weir.repo.dir", "..")).toAbsolutePath().normalize();
    private static String unavailable;
    private static boolean ready;

    private ImageFixture() {
    }

    public static Path imageDir() {
        return ROOT.resolve("images/target");
    }

    /** The image, built if need be; skips the caller when it cannot be had. */
    public static synchronized Path ensureBuilt() throws Exception {
        assumeTrue(unavailable == null, () -> unavailable);
        if (ready) {
            return imageDir();
        }
        Path config = imageDir().resolve("config.json");
        Path jar = ROOT.resolve("controller/target/weir.jar");
        if (Files.exists(config) && Files.exists(jar)
                && Files.getLastModifiedTime(config).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            ready = true;
            return imageDir();
        }
        unavailable = cannotBuild().orElse(null);
        assumeTrue(unavailable == null, () -> unavailable);
        Path log = ROOT.resolve("e2e/target/images-build.log");
        Files.createDirectories(log.getParent());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(ROOT.resolve("images/build").toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            unavailable = "images/build did not finish within 20 minutes (see " + log + ")";
        } else if (p.exitValue() != 0) {
            unavailable = "images/build failed (exit " + p.exitValue() + "; Debian's archive unreachable?), so the "
                    + "image agents' suites are skipped: " + tail(log);
        }
        assumeTrue(unavailable == null, () -> unavailable);
        System.out.printf("images/build: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        ready = true;
        return imageDir();
    }

    /**
     * Waits until every node's image agent answers /readyz (through {@code lab status}), failing at once with the
     * agents' logs when one has exited. Longer than {@code LabFixture.awaitAgentsReady}: a JVM each, capped at the
     * chart's one CPU, starting on a shared machine.
     */
    public static void awaitReady(LabFixture lab, LabState state, Duration timeout) throws InterruptedException {
        Path dir = lab.store().dir();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = lab.weir(List.of("lab", "status", "--state-dir", dir.toString())).output().lines()
                    .filter(l -> l.startsWith(LabFixture.PREFIX + "n")).toList();
            if (lines.size() == state.plan().nodes().size() && lines.stream().allMatch(l -> l.endsWith("ready"))) {
                return;
            }
            if (state.agents().stream().anyMatch(a -> ProcessHandle.of(a.pid()).filter(ProcessHandle::isAlive)
                    .isEmpty())) {
                throw new AssertionError("an image agent exited: " + lines + "\n" + logs(dir, state));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("image agents not ready after " + timeout + ": " + lines + "\n" + logs(dir, state));
    }

    private static String logs(Path dir, LabState state) {
        StringBuilder b = new StringBuilder();
        for (LabState.AgentInfo a : state.agents()) {
            try {
                b.append(a.node()).append(":\n").append(Files.readString(dir.resolve("agent-" + a.node() + ".log")));
            } catch (IOException e) {
                b.append(a.node()).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    private static Optional<String> cannotBuild() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not root: images/build needs root, so the image agents' suites are skipped");
        }
        boolean mmdebstrap = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "mmdebstrap")));
        if (!mmdebstrap) {
            return Optional.of("mmdebstrap is not installed (.ci/deps image installs it), so the image cannot be built "
                    + "and the image agents' suites are skipped");
        }
        return Optional.empty();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
