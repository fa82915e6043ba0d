package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/kubectl-weir}, the kubectl plugin launcher, run through a symlink on PATH as a user installs it, with
 * {@code WEIR} pointing at this build's class path (so the test needs no packaged jar).
 */
class KubectlPluginTest {

    @TempDir
    Path dir;
    private Path plugin;
    private Path weir;

    private static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/kubectl-weir"))) {
                return p;
            }
        }
        throw new IllegalStateException("no bin/kubectl-weir above " + Path.of("").toAbsolutePath());
    }

    @BeforeEach
    void install() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        plugin = Files.createSymbolicLink(bin.resolve("kubectl-weir"), repo().resolve("bin/kubectl-weir"));
        weir = dir.resolve("weir");
        Files.writeString(weir, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
                + "' dev.weir.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(weir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(argv)));
        pb.environment().put("WEIR", weir.toString());
        pb.environment().put("PATH", plugin.getParent() + ":" + System.getenv("PATH"));
        pb.redirectOutput(dir.resolve("out").toFile());
        pb.redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void statusHelpThroughThePlugin() throws Exception {
        Run r = run(plugin.toString(), "status", "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("weir status [KIND/NAME | nodes]").contains("--stale-after");
    }

    @Test
    void explainThroughThePluginReadsTheCluster() throws Exception {
        // the launcher adds --cluster: a kubeconfig is then taken, and this one cannot be read
        Run r = run(plugin.toString(), "explain", "--kubeconfig", dir.resolve("none").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--kubeconfig: cannot read");
    }

    @Test
    void kubectlFindsThePluginOnPath() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
        Run r = run("kubectl", "weir", "status", "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("weir status [KIND/NAME | nodes]");
    }
}
