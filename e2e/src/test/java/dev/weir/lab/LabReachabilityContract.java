package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.LabState;
import dev.weir.model.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every lab shape must do with no policy: every pod reaches every pod on every declared port and
 * protocol, with real packets; status describes it; down leaves nothing behind. Subclasses pick the shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LabReachabilityContract {

    /** One directory for the whole class (a {@code @TempDir} field would be a new one per method). */
    Path stateDir;
    LabFixture lab;

    abstract String[] shape();

    void upOnce() {
        if (lab == null) {
            LabFixture.assumeLabCanRun();
            try {
                stateDir = java.nio.file.Files.createTempDirectory("weir-lab-test");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            lab = new LabFixture(stateDir);
            lab.up(shape());
        }
    }

    @Test
    @Order(1)
    void everyPodReachesEveryPodOnEveryPortAndProtocol() throws Exception {
        upOnce();
        LabState s = lab.state();
        // SCTP by ncat where the kernel has SCTP sockets, else by raw INIT packets
        List<Protocol> protocols = new ArrayList<>(List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP));
        long t0 = System.nanoTime();
        List<ProbeResult> results;
        try (Prober prober = new Prober(s.plan(), 24, Duration.ofMillis(1000), 2, !s.sctp())) {
            results = prober.probeAll(List.of(80, 81), protocols);
        }
        System.out.printf("probe %d cells (%s): %d ms%n", results.size(), protocols,
                (System.nanoTime() - t0) / 1_000_000);

        assertThat(results).hasSize(9 * 9 * 2 * protocols.size());
        assertThat(results).filteredOn(r -> !r.allowed()).isEmpty();
        assertThat(s.plan().pods()).extracting(p -> p.node()).containsOnly(LabFixture.PREFIX + "n1",
                LabFixture.PREFIX + "n2");
    }

    @Test
    @Order(2)
    void statusListsEveryNodeAndPodWithItsAddress() {
        upOnce();
        LabFixture.Run r = lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString()));

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("lab READY", LabFixture.PREFIX + "n1\t192.168.222.11\t10.244.1.0/24",
                "x/a\t10.244.1.2\t" + LabFixture.PREFIX + "n1\t" + LabFixture.PREFIX + "x-a",
                "x/b\t10.244.2.2\t" + LabFixture.PREFIX + "n2\t" + LabFixture.PREFIX + "x-b");

        LabFixture.Run json = lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString(), "-o", "json"));
        var tree = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json.output());
        assertThat(tree.get("status").asString()).isEqualTo("READY");
        assertThat(tree.at("/state/plan/pods/1/ip").asString()).isEqualTo("10.244.2.2");
    }

    @Test
    @Order(3)
    void downLeavesNoNamespaceNoProcessAndNoState() {
        upOnce();
        long daemon = lab.state().daemonPid();
        LabFixture.Run r = lab.down();

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(LabFixture.leftoverNetns()).isEmpty();
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(lab.store().read()).isEmpty();
    }

    @AfterAll
    void downAnyway() {
        if (lab != null) {
            lab.down();
            try (var files = java.nio.file.Files.walk(stateDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }
}
