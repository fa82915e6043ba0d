package dev.weir.lab.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text that runs an image as the chart's container: what each part of the chart becomes. */
class ContainerScriptTest {

    @TempDir
    Path rootfs;

    ChartAgentSpec spec(boolean readOnlyRoot, List<ChartAgentSpec.Mount> mounts) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70");
        env.put("WEIR_CNI_CACHE_DIR", "/var/lib/cni/results");
        return new ChartAgentSpec(List.of("agent"), List.of(), env, Set.of("NODE_NAME"), true,
                Set.of("NET_ADMIN", "NET_RAW"), readOnlyRoot, true, 0, mounts, 9099, 512L << 20, 1);
    }

    ContainerScript script(ChartAgentSpec spec) throws Exception {
        Files.createDirectories(rootfs.resolve("usr/bin"));
        if (!Files.exists(rootfs.resolve("usr/bin/java"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // the image's link, dangling here as it would be outside the chroot: the lookup must not follow it
            Files.createSymbolicLink(rootfs.resolve("usr/bin/java"), Path.of("../lib/jvm/default/bin/java"));
        }
        ImageRoot image = new ImageRoot(rootfs, List.of("java", "-jar", "/opt/weir/weir.jar"), List.of("agent"),
                Map.of("PATH", "/usr/local/bin:/usr/bin"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NODE_NAME", "wl-n1");
        env.put("KUBECONFIG", "/var/run/secrets/weir-lab/kubeconfig");
        return new ContainerScript(image, spec, Path.of("/state/image/wl-n1"),
                Map.of("/var/lib/cni/results", Path.of("/state/cni/wl-n1/results")),
                Map.of("/var/run/secrets/weir-lab/kubeconfig", Path.of("/state/image/kubeconfig")), env);
    }

    @Test
    void theEntrypointIsResolvedInTheImagesPathAndGetsTheChartsArgs() throws Exception {
        ContainerScript s = script(spec(true, List.of()));

        assertThat(s.process()).containsExactly("/usr/bin/java", "-jar", "/opt/weir/weir.jar", "agent");
        assertThat(s.script()).contains("--chroot=\"$root\" --shell='/usr/bin/java' -- '-jar' '/opt/weir/weir.jar' "
                + "'agent'");
    }

    @Test
    void onlyTheChartsCapabilitiesStayAndPrivilegesCannotGrow() throws Exception {
        String text = script(spec(true, List.of())).script();

        assertThat(text).contains("grep -v -x -e cap_net_admin -e cap_net_raw")
                .contains("\"$capsh\" --drop=\"$drop\" --no-new-privs --chroot=");
    }

    @Test
    void theEnvironmentIsTheImagesThenTheChartsThenTheNodeName() throws Exception {
        ContainerScript s = script(spec(true, List.of()));

        assertThat(s.environment()).containsExactly(Map.entry("PATH", "/usr/local/bin:/usr/bin"),
                Map.entry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70"),
                Map.entry("WEIR_CNI_CACHE_DIR", "/var/lib/cni/results"), Map.entry("NODE_NAME", "wl-n1"),
                Map.entry("KUBECONFIG", "/var/run/secrets/weir-lab/kubeconfig"));
        assertThat(s.script()).contains("exec env -i 'PATH=/usr/local/bin:/usr/bin'");
    }

    @Test
    void theRootIsReadOnlyOnlyWhenTheChartSaysSo() throws Exception {
        assertThat(script(spec(true, List.of())).script()).contains("mount -o remount,ro \"$root\"");
        assertThat(script(spec(false, List.of())).script()).doesNotContain("remount,ro \"$root\"");
    }

    @Test
    void eachVolumeBecomesItsMountResolvedInsideTheImage() throws Exception {
        String text = script(spec(true, List.of(
                new ChartAgentSpec.Mount("xtables-lock", "/run/xtables.lock", false,
                        new ChartAgentSpec.HostPath("/run/xtables.lock", "FileOrCreate")),
                new ChartAgentSpec.Mount("lib-modules", "/lib/modules", true, new ChartAgentSpec.HostPath(
                        "/lib/modules", "")),
                new ChartAgentSpec.Mount("tmp", "/tmp", false, new ChartAgentSpec.EmptyDir(64L << 20)),
                new ChartAgentSpec.Mount("cni-cache", "/var/lib/cni/results", true,
                        new ChartAgentSpec.HostPath("/var/lib/cni/results", "DirectoryOrCreate"))))).script();

        assertThat(text).contains("dst=$(inroot '/run/xtables.lock')\n[ -e '/run/xtables.lock' ] || touch "
                + "'/run/xtables.lock'")
                .contains("mount --rbind '/run/xtables.lock' \"$dst\"\n")
                .contains("if [ ! -e '/lib/modules' ]; then")
                .contains("mount -t tmpfs -o size=67108864,nosuid,nodev tmpfs \"$dst\"")
                .as("the node's cache stands in for the chart's hostPath")
                .contains("mount --rbind '/state/cni/wl-n1/results' \"$dst\"\nmount -o remount,bind,ro \"$dst\"")
                .contains("dst=$(inroot '/var/run/secrets/weir-lab/kubeconfig')")
                .contains("mount --bind '/state/image/kubeconfig' \"$dst\"");
        assertThat(text.indexOf("remount,ro \"$root\"")).as("root read-only after the mount points are made")
                .isGreaterThan(text.lastIndexOf("mount --bind"));
    }

    @Test
    void aCommandMissingFromTheImageIsNamed() throws Exception {
        ContainerScript s = script(spec(true, List.of()));
        ContainerScript noJava = new ContainerScript(new ImageRoot(rootfs, List.of("javax"), List.of(), Map.of()),
                s.spec(), s.workDir(), s.hostPaths(), s.extraFiles(), s.env());

        assertThatThrownBy(noJava::process).hasMessageContaining("javax is not in the image's PATH");
    }

    @Test
    void theContainersLimitsAreWhatTheJvmIsTold() {
        assertThat(ContainerScript.jvmLimits(spec(true, List.of())))
                .isEqualTo("-XX:MaxRAM=536870912 -XX:ActiveProcessorCount=1");
    }

    @Test
    void quotingSurvivesQuotes() {
        assertThat(ContainerScript.q("it's")).isEqualTo("'it'\\''s'");
    }
}
