package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, "one bad object stops a node", as it was found: agents as their own processes (as deployed), two
 * NetworkPolicies in {@code z} written as a client can send them ({@code egress: [null]},
 * {@code matchLabels: {a: null}}) and a valid deny-all-ingress in {@code x}. The valid policy must be enforced on real
 * packets and every node must be ready.
 */
class LabMalformedObjectsTest {

    @TempDir
    Path stateDir;
    LabFixture lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.down();
        }
    }

    @Test
    void aValidPolicyIsEnforcedNextToPoliciesWithNullsWithAgentsAsProcesses() throws Exception {
        LabFixture.assumeLabCanRun();
        lab = new LabFixture(stateDir);
        lab.up("--nodes", "2", "--topology", "canal", "--agents", "process", "--agent-http-base", "19560");
        Path policies = Files.writeString(stateDir.resolve("policies.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: null-egress, namespace: z}
                spec: {podSelector: {}, policyTypes: [Egress], egress: [null]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: null-label, namespace: z}
                spec: {podSelector: {matchLabels: {a: null}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all-ingress, namespace: x}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """);
        LabFixture.Run applied = lab.weir(List.of("lab", "apply", "--state-dir", stateDir.toString(), "-f",
                policies.toString()));
        assertThat(applied.code()).as(applied.output()).isZero();

        TruthTable t = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            LabFixture.Run probed = lab.weir(List.of("lab", "probe", "--state-dir", stateDir.toString(), "--ports",
                    "80", "--protocols", "tcp", "--timeout", "500ms", "-o", "json"));
            t = TruthTableJson.read(probed.output());
            if (!t.cell("y/b", "x/a", PortProtocol.tcp(80)).orElseThrow().allowed()) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(t.cell("y/b", "x/a", PortProtocol.tcp(80)).orElseThrow().allowed())
                .as("deny-all-ingress in x is enforced").isFalse();
        assertThat(t.cell("y/b", "y/c", PortProtocol.tcp(80)).orElseThrow().allowed())
                .as("pods no policy selects stay reachable").isTrue();
        LabFixture.Run status = lab.weir(List.of("lab", "status", "--state-dir", stateDir.toString()));
        assertThat(status.output()).contains(LabFixture.PREFIX + "n1\t192.168.222.11\t10.244.1.0/24\tready")
                .contains(LabFixture.PREFIX + "n2\t");
        assertThat(status.output().lines().filter(l -> l.startsWith(LabFixture.PREFIX + "n")))
                .allSatisfy(l -> assertThat(l).endsWith("ready"));
    }
}
