package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code weir status} over the lab's kubeconfig ({@code weir lab kubeconfig}), in both agent modes: a policy applied
 * with {@code weir lab apply} selecting pods on both nodes shows as {@code "enforced": "2/2"} within 10 s, and again
 * after it changes; the node table has both agents alive.
 */
class LabStatusTest {

    private static final long LIMIT_MS = 10_000;

    @TempDir
    Path stateDir;
    LabFixture lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.down();
        }
    }

    /** x/a and x/c run on n1, x/b on n2 (round-robin): a policy selecting all of x has rules on both nodes. */
    private static String policy(int port) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web, namespace: x}
                spec:
                  podSelector: {}
                  ingress: [{ports: [{port: %d}]}]
                """.formatted(port);
    }

    @ParameterizedTest(name = "agents {0}")
    @CsvSource({"in-process, 20150", "process, 20170"})
    void anAppliedPolicyIsEnforcedOnBothNodesWithinTenSeconds(String agents, int httpBase) throws Exception {
        LabFixture.assumeLabCanRun();
        lab = new LabFixture(stateDir);
        lab.up("--nodes", "2", "--topology", "flannel", "--agents", agents, "--agent-http-base",
                String.valueOf(httpBase));
        lab.awaitAgentsReady();
        LabFixture.Run kubeconfig = lab.weir(List.of("lab", "kubeconfig", "--state-dir", stateDir.toString()));
        assertThat(kubeconfig.code()).as(kubeconfig.output()).isZero();
        String config = kubeconfig.output().strip();

        long created = lab.apply("web.yaml", policy(80));
        JsonNode web = awaitEnforced(config, created, "created");
        long generation = web.path("generation").asLong();

        long changed = lab.apply("web.yaml", policy(81));
        JsonNode after = awaitEnforced(config, changed, "changed");
        assertThat(after.path("generation").asLong()).as("the changed spec's generation").isGreaterThan(generation);

        LabFixture.Run nodes = lab.weir(List.of("status", "nodes", "-o", "json", "--kubeconfig", config));
        JsonNode table = Serialization.jsonMapper().readTree(nodes.output()).path("nodes");
        assertThat(table.valueStream().map(n -> n.path("name").asString() + " " + n.path("state").asString()))
                .containsExactly(LabFixture.PREFIX + "n1 ok", LabFixture.PREFIX + "n2 ok");
    }

    /** Polls {@code weir status np/web -n x -o json} until it says 2/2; fails after {@value #LIMIT_MS} ms. */
    private JsonNode awaitEnforced(String kubeconfig, long since, String what) throws InterruptedException {
        JsonNode policy = null;
        String last = "";
        while ((System.nanoTime() - since) / 1_000_000 < LIMIT_MS) {
            LabFixture.Run r = lab.weir(List.of("status", "np/web", "-n", "x", "-o", "json", "--kubeconfig",
                    kubeconfig));
            last = r.output();
            if (r.code() == 0) {
                policy = Serialization.jsonMapper().readTree(r.output()).path("policies").get(0);
                if ("2/2".equals(policy.path("enforced").asString())) {
                    System.out.printf("policy %s: enforced 2/2 after %d ms%n", what,
                            (System.nanoTime() - since) / 1_000_000);
                    return policy;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("policy " + what + ": not enforced 2/2 within " + LIMIT_MS + " ms; last status:\n"
                + last);
    }
}
