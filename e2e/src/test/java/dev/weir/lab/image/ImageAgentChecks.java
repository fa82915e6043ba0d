package dev.weir.lab.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.lab.LabFixture;
import dev.weir.lab.state.LabState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an image agent must be once ready ({@code weir lab up --agents image}), read from {@code /proc} of its JVM: the
 * image's entrypoint with the chart's args, in the node's network namespace (hostNetwork), uid 0 holding NET_ADMIN
 * and NET_RAW only, no_new_privs, a read-only root with the chart's mounts, the chart's environment; and the node's
 * iptables backend, detected from inside the image, holding weir's chains while the other backend holds none.
 */
public final class ImageAgentChecks {

    /** CAP_NET_ADMIN (12) and CAP_NET_RAW (13). */
    static final long NET_ADMIN_AND_NET_RAW = (1L << 12) | (1L << 13);

    private ImageAgentChecks() {
    }

    public static void assertRunAsTheChartSays(LabFixture lab, LabState state, String nodeIptables)
            throws Exception {
        for (LabState.AgentInfo agent : state.agents()) {
            assertThat(agent.mode()).isEqualTo("image");
            ProcessHandle jvm = ProcessHandle.of(agent.pid()).orElseThrow().descendants()
                    .filter(h -> cmdline(h.pid()).contains("/opt/weir/weir.jar")).findFirst().orElseThrow();
            Map<String, String> status = status(jvm.pid());
            assertThat(cmdline(jvm.pid())).isEqualTo("/usr/bin/java -jar /opt/weir/weir.jar agent");
            assertThat(Long.parseLong(status.get("CapEff"), 16)).as("effective").isEqualTo(NET_ADMIN_AND_NET_RAW);
            assertThat(Long.parseLong(status.get("CapBnd"), 16)).as("bounding").isEqualTo(NET_ADMIN_AND_NET_RAW);
            assertThat(status.get("NoNewPrivs")).isEqualTo("1");
            assertThat(status.get("Uid").split("\\s+")[0]).isEqualTo("0");
            assertThat(Files.readSymbolicLink(Path.of("/proc", "" + jvm.pid(), "ns", "net")))
                    .as("the node's network namespace (hostNetwork)")
                    .isEqualTo(netnsOf(agent.node()));
            String mounts = Files.readString(Path.of("/proc", "" + jvm.pid(), "mountinfo"));
            assertThat(mountOptions(mounts, "/")).as("root").startsWith("ro");
            assertThat(mountOptions(mounts, "/tmp")).startsWith("rw");
            assertThat(mountOptions(mounts, "/run/xtables.lock")).startsWith("rw");
            assertThat(mountOptions(mounts, "/usr/lib/modules")).as("/lib/modules, through the image's /lib link")
                    .startsWith("ro");
            assertThat(mountOptions(mounts, "/var/lib/cni/results")).startsWith("ro");
            String environ = new String(Files.readAllBytes(Path.of("/proc", "" + jvm.pid(), "environ")),
                    StandardCharsets.UTF_8);
            assertThat(environ.split("\0")).contains("NODE_NAME=" + agent.node(),
                    "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError",
                    "WEIR_IPTABLES_BACKEND=auto");
            String log = Files.readString(lab.store().dir().resolve("agent-" + agent.node() + ".log"));
            assertThat(log).as("the agent picks the node's backend from inside the image")
                    .contains("iptables backend " + nodeIptables + " (auto: kubelet hint chain found in "
                            + nodeIptables + ")");
            String other = nodeIptables.equals("nft") ? "legacy" : "nft";
            assertThat(LabFixture.sh("ip", "netns", "exec", agent.node(), "iptables-" + nodeIptables + "-save",
                    "-t", "filter")).contains(":WEIR-FORWARD");
            assertThat(LabFixture.sh("ip", "netns", "exec", agent.node(), "iptables-" + other + "-save", "-t",
                    "filter")).doesNotContain("WEIR-");
            System.out.printf("%s: agent pid %d, resident %s, %.1f s of CPU; %s%n", agent.node(), jvm.pid(),
                    status.get("VmRSS"), cpuSeconds(jvm.pid()), readyLine(lab, agent.node()));
        }

    }

    private static String readyLine(LabFixture lab, String node) throws Exception {
        return Files.readAllLines(lab.store().dir().resolve("daemon.log")).stream()
                .filter(l -> l.contains("agent " + node + " (image) ready")).findFirst().orElse("(not logged)");
    }

    /** User and system CPU time of a process so far (fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms). */
    static double cpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", "" + pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", "" + pid, "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').strip();
        } catch (Exception e) {
            return "";
        }
    }

    static Map<String, String> status(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", "" + pid, "status")).stream().filter(l -> l.contains(":"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf(':') + 1)
                        .strip(), (a, b) -> a));
    }

    static Path netnsOf(String node) throws Exception {
        // the same namespace file as the node's: compare the inode that /proc shows for a process inside it
        String inode = LabFixture.sh("ip", "netns", "exec", node, "readlink", "/proc/self/ns/net").strip();
        return Path.of(inode);
    }

    /** The mount options of the mount at {@code point} as the process sees it (its last mount there). */
    static String mountOptions(String mountinfo, String point) {
        String found = null;
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 5 && f[4].equals(point)) {
                found = f[5];
            }
        }
        return found == null ? "(not mounted)" : found;
    }

}
