package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The point of the lab: real agents program the nodes, and real packets then agree with what explain computes from
 * the same objects, cell by cell, on both topologies and with both ways of running agents; and both ways of running
 * agents log each drop to the node's file with explain's decision ({@code probe --denials}, {@code lab denials}).
 */
class LabWithAgentsTest {

    @TempDir
    Path stateDir;
    LabFixture lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.down();
        }
    }

    /** flannel's same-node pairs are bridged (policy needs br_netfilter); canal's are routed. */
    @ParameterizedTest(name = "{0} with agents {1}")
    @CsvSource({"flannel, in-process", "canal, process"})
    void packetsAgreeWithExplainAfterAPolicyIsApplied(String topology, String agents) throws Exception {
        LabFixture.assumeLabCanRun();
        lab = new LabFixture(stateDir);
        lab.up("--nodes", "2", "--topology", topology, "--agents", agents, "--agent-http-base", "19300");
        Path policy = Files.writeString(stateDir.resolve("np.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: only-from-b, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  policyTypes: [Ingress]
                  ingress:
                  - from: [{podSelector: {matchLabels: {pod: b}}, namespaceSelector: {}}]
                    ports: [{port: 80, protocol: TCP}]
                """);
        long tApply = System.nanoTime();
        LabFixture.Run applied = lab.weir(List.of("lab", "apply", "--state-dir", stateDir.toString(), "-f",
                policy.toString()));
        assertThat(applied.code()).as(applied.output()).isZero();
        System.out.printf("apply: %d ms%n", (System.nanoTime() - tApply) / 1_000_000);

        long t0 = System.nanoTime();
        LabFixture.Run compare = null;
        int rounds = 0;
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            compare = lab.weir(List.of("lab", "probe", "--state-dir", stateDir.toString(), "--ports", "80,81",
                    "--protocols", "tcp", "--timeout", "500ms", "--compare", "--denials"));
            rounds++;
            if (compare.code() == 0) {
                break;
            }
            Thread.sleep(1000);
        }

        System.out.printf("%s/%s: probes agree with explain after %d ms, %d rounds%n", topology, agents,
                (System.nanoTime() - t0) / 1_000_000, rounds);
        assertThat(compare.code()).as(compare.output()).isZero();
        assertThat(compare.output()).contains("agrees with explain in every cell")
                .containsPattern("# denial records: ([1-9]\\d*) denied cells: \\1 recorded with explain's decision, "
                        + "0 without a record, 0 recorded otherwise, 0 not dropped; 0 allowed cells with a record");
        String node = lab.state().plan().pod("x/a").orElseThrow().node();
        LabFixture.Run denials = lab.weir(List.of("lab", "denials", "--state-dir", stateDir.toString(), "--node", node,
                "-o", "json"));
        assertThat(denials.output().lines().filter(l -> l.contains("\"src\":{\"ip\":\"" + lab.state().plan()
                .pod("y/c").orElseThrow().ip() + "\",\"pod\":\"y/c\"}") && l.contains("\"port\":80,")
                && l.contains("{\"kind\":\"NetworkPolicy\",\"namespace\":\"x\",\"name\":\"only-from-b\"}")))
                .as("%s's records of y/c -> x/a 80/TCP:%n%s", node, denials.output()).isNotEmpty();
        // and the policy really bites (agreeing with an explain that allows everything would prove nothing)
        LabFixture.Run probed = lab.weir(List.of("lab", "probe", "--state-dir", stateDir.toString(), "--ports",
                "80,81", "--protocols", "tcp", "--timeout", "500ms", "-o", "json"));
        TruthTable t = TruthTableJson.read(probed.output());
        assertThat(t.cell("y/b", "x/a", PortProtocol.tcp(80)).orElseThrow().allowed()).isTrue();
        assertThat(t.cell("y/c", "x/a", PortProtocol.tcp(80)).orElseThrow().allowed()).isFalse();
        // x/c and x/a share node 1: on flannel this packet is bridged, so only br_netfilter lets the rules see it
        assertThat(t.cell("x/c", "x/a", PortProtocol.tcp(80)).orElseThrow().allowed()).isFalse();
        assertThat(t.cell("y/b", "x/a", PortProtocol.tcp(81)).orElseThrow().allowed()).isFalse();
        assertThat(t.cell("y/c", "x/b", PortProtocol.tcp(81)).orElseThrow().allowed()).isTrue();
        LabFixture.Run status = lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString()));
        assertThat(status.output()).contains(LabFixture.PREFIX + "n1\t192.168.222.11\t10.244.1.0/24\tready");
    }
}
