package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.iptables.sys.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BridgeNetfilterCheckTest {

    private final String netns = "wbn-" + ProcessHandle.current().pid();

    @Test
    void readsTheSysctlAsTheKernelWritesIt() {
        assertThat(BridgeNetfilterCheck.of(Optional.of("1\n"))).isEqualTo(BridgeNetfilterCheck.ENABLED);
        assertThat(BridgeNetfilterCheck.of(Optional.of("0\n"))).isEqualTo(BridgeNetfilterCheck.DISABLED);
        assertThat(BridgeNetfilterCheck.of(Optional.empty())).isEqualTo(BridgeNetfilterCheck.MODULE_ABSENT);
        assertThat(BridgeNetfilterCheck.of(Optional.of("x"))).isEqualTo(BridgeNetfilterCheck.UNKNOWN);
    }

    @Test
    void aDisabledOrMissingSettingIsReportedAsUnpolicedBridgeTraffic() {
        assertThat(BridgeNetfilterCheck.DISABLED.ok()).isFalse();
        assertThat(BridgeNetfilterCheck.DISABLED.message()).contains("NOT policed", "bridge-nf-call-iptables=1");
        assertThat(BridgeNetfilterCheck.MODULE_ABSENT.message()).contains("NOT policed", "load br_netfilter");
        assertThat(BridgeNetfilterCheck.ENABLED.ok()).isTrue();
    }

    /** The check reads the setting of the namespace the agent programs, not the host's. */
    @Test
    void readsTheSettingInsideTheProgrammedNamespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
        assumeTrue(Files.exists(BridgeNetfilterCheck.SYSCTL), "br_netfilter is not available on this kernel");
        sh("ip", "netns", "add", netns);
        try (NetworkNamespace ns = NetworkNamespace.named(netns)) {
            sh("ip", "netns", "exec", netns, "sh", "-c", "echo 0 > " + BridgeNetfilterCheck.SYSCTL);
            assertThat(BridgeNetfilterCheck.read(ns)).isEqualTo(BridgeNetfilterCheck.DISABLED);
            sh("ip", "netns", "exec", netns, "sh", "-c", "echo 1 > " + BridgeNetfilterCheck.SYSCTL);
            assertThat(BridgeNetfilterCheck.read(ns)).isEqualTo(BridgeNetfilterCheck.ENABLED);
        }
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (Files.exists(Path.of("/run/netns", netns))) {
            sh("ip", "netns", "del", netns);
        }
    }

    private static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", argv), out).isZero();
    }
}
