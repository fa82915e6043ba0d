package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.LabState;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An IPv6-only lab ({@code --ip-family ipv6}) on canal with in-process agents: pods and nodes have IPv6 addresses and
 * nothing else, every pod reaches every pod over IPv6, and a policy with an IPv6 ipBlock is enforced as explain says,
 * every drop recorded with explain's decision. Agent ports 20250-20252.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ipv6OnlyLabTest {

    private Path stateDir;
    private LabFixture lab;
    private LabState state;

    @BeforeAll
    void up() throws Exception {
        LabFixture.assumeLabCanRun();
        stateDir = Files.createTempDirectory("weir-lab-ipv6");
        lab = new LabFixture(stateDir);
        state = lab.up("--nodes", "2", "--topology", "canal", "--ip-family", "ipv6", "--agents", "in-process",
                "--agent-http-base", "20250");
        lab.awaitAgentsReady();
    }

    @AfterAll
    void down() throws Exception {
        if (lab != null) {
            LabFixture.Run r = lab.down();
            try (var files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            assertThat(r.code()).as(r.output()).isZero();
            assertThat(LabFixture.leftoverNetns()).isEmpty();
        }
    }

    @Test
    void podsAndNodesHaveIpv6AddressesOnlyAndReachEachOther() throws Exception {
        LabFixture.Run status = lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString()));
        assertThat(status.output()).contains("ip family ipv6",
                LabFixture.PREFIX + "n1\tfd00:192:168:222::11\tfd00:10:244:1::/64",
                "x/a\tfd00:10:244:1::2\t").doesNotContain("10.244.1.2");
        assertThatThrownBy(() -> new Prober(state.plan(), 1, Duration.ofMillis(100), 1, true, IpFamily.V4))
                .hasMessageContaining("no V4 addresses");

        List<ProbeResult> results;
        try (Prober prober = new Prober(state.plan(), 24, Duration.ofMillis(1000), 2, !state.sctp())) {
            results = prober.probeAll(List.of(80), List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP));
        }
        assertThat(results).hasSize(9 * 9 * 3).allMatch(ProbeResult::allowed);
    }

    @Test
    void anIpv6IpBlockPolicyIsEnforcedAsExplainSaysAndEveryDropRecorded() throws Exception {
        lab.apply("v6.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: from-node-2-but-y-a, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  ingress:
                  - from: [{ipBlock: {cidr: "fd00:10:244:2::/64", except: ["fd00:10:244:2::3/128"]}}]
                """);
        LabFixture.Run probe = null;
        long deadline = System.currentTimeMillis() + 15_000;
        do {
            probe = lab.weir(List.of("lab", "probe", "--state-dir", stateDir.toString(), "--compare", "--denials",
                    "--ports", "80", "--protocols", "tcp,udp", "--timeout", "500ms"));
        } while (probe.code() != 0 && System.currentTimeMillis() < deadline);

        assertThat(probe.code()).as(probe.output()).isZero();
        assertThat(probe.output()).contains("y/a -> x/a 80/TCP: recorded by " + LabFixture.PREFIX + "n1")
                .contains("the dataplane agrees with explain in every cell").doesNotContain("# IPv4");
    }
}
