package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.LabState;
import dev.weir.lab.sys.ProcessRunner;
import dev.weir.model.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir lab down} after the daemon died without cleaning up: the state directory is enough. */
class LabCrashRecoveryTest {

    @TempDir
    Path stateDir;
    LabFixture lab;

    @BeforeEach
    void labCanRun() {
        LabFixture.assumeLabCanRun();
        lab = new LabFixture(stateDir);
    }

    @AfterEach
    void downAnyway() {
        if (lab != null) {
            lab.down();
        }
    }

    @Test
    void downAfterTheDaemonWasKilledRemovesEverything() throws Exception {
        LabState s = lab.up("--nodes", "2", "--topology", "flannel", "--backend", "host-gw");
        try (Prober prober = new Prober(s.plan(), 24, Duration.ofMillis(1000), 2)) {
            assertThat(prober.probeAll(List.of(80), List.of(Protocol.TCP))).as("host-gw carries every pair")
                    .allMatch(ProbeResult::allowed);
        }
        ProcessHandle daemon = ProcessHandle.of(s.daemonPid()).orElseThrow();
        daemon.destroyForcibly();
        daemon.onExit().get(10, TimeUnit.SECONDS);
        List<String> built = s.plan().netnsNames();
        assertThat(LabFixture.leftoverNetns()).as("namespaces outlive the daemon")
                .containsExactlyInAnyOrderElementsOf(built);

        LabFixture.Run r = lab.down();

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("deleted " + built.size() + " network namespaces");
        assertThat(LabFixture.leftoverNetns()).isEmpty();
        assertThat(lab.store().read()).isEmpty();
    }

    @Test
    void downWithoutAnyStateSweepsNamespacesWithTheLabPrefixAndWhatRunsInThem() throws Exception {
        String stray = LabFixture.PREFIX + "stray";
        new ProcessRunner().check(List.of("ip", "netns", "add", stray), null);
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", stray, "sleep", "300").start();

        LabFixture.Run r = lab.down();

        assertThat(r.output()).contains("deleted 1 network namespaces");
        assertThat(LabFixture.leftoverNetns()).isEmpty();
        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).as("the process inside was stopped").isTrue();
    }

    @Test
    void upLeavesNamespacesItDoesNotKnowAlone() throws Exception {
        String foreign = LabFixture.PREFIX + "foreign";
        new ProcessRunner().check(List.of("ip", "netns", "add", foreign), null);

        LabFixture.Run r = lab.weir(List.of("lab", "up", "--state-dir", stateDir.toString(), "--prefix",
                LabFixture.PREFIX, "--api-port", "0", "--agents", "none"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).contains("another lab?");
        assertThat(LabFixture.leftoverNetns()).containsExactly(foreign);
    }

    @Test
    void upRefusesToStartOverALiveLabAndCleansUpADeadOne() throws Exception {
        lab.up("--nodes", "1", "--topology", "canal", "--backend", "host-gw");
        LabFixture.Run again = lab.weir(List.of("lab", "up", "--state-dir", stateDir.toString(), "--prefix",
                LabFixture.PREFIX, "--api-port", "0", "--agents", "none"));
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.output()).contains("already up");

        ProcessHandle dead = ProcessHandle.of(lab.state().daemonPid()).orElseThrow();
        dead.destroyForcibly();
        dead.onExit().get(10, TimeUnit.SECONDS);
        LabState fresh = lab.up("--nodes", "1", "--topology", "canal", "--backend", "host-gw");
        assertThat(fresh.status()).isEqualTo(LabState.READY);
        assertThat(LabFixture.leftoverNetns()).as("the dead lab's namespaces gave way to the fresh lab's")
                .containsExactlyInAnyOrderElementsOf(fresh.plan().netnsNames());
    }
}
