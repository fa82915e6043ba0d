package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.lab.api.ObjectWrites;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.LabState;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Policy-to-enforcement latency on a real lab (2 nodes, flannel + VXLAN, in-process agents): the time from a write
 * to the API server (fabric8, as kubectl's apply lands) until the first probe of one cross-node pair (x/b on node 2 to
 * x/a on node 1, 80/TCP) that shows the new verdict, polling every ~50 ms with 50 ms probes; a flip counts when two
 * probes in a row agree, and is timed at the first. Only with {@code -Dweir.bench=true}; prints a table for
 * docs/benchmarks.md.
 */
@EnabledIfSystemProperty(named = "weir.bench", matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabLatencyBenchmarkTest {

    static final int ROUNDS = Integer.getInteger("weir.bench.rounds", 20);

    LabFixture lab;
    KubernetesClient client;
    Prober prober;
    LabPlan.PodPlan from;
    LabPlan.PodPlan to;

    @BeforeAll
    void up() throws Exception {
        lab = new LabFixture(Files.createTempDirectory("weir-lab-latency"));
        LabState s = lab.up("--nodes", "2", "--topology", "flannel", "--agents", "in-process", "--agent-http-base",
                "19600");
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(
                s.kubeconfig())))).build();
        prober = new Prober(s.plan(), 2, Duration.ofMillis(50), 1);
        from = s.plan().pod("x/b").orElseThrow();
        to = s.plan().pod("x/a").orElseThrow();
        assertThat(from.node()).isNotEqualTo(to.node());
    }

    @AfterAll
    void down() {
        if (prober != null) {
            prober.close();
        }
        if (client != null) {
            client.close();
        }
        if (lab != null) {
            lab.down();
        }
    }

    private static NetworkPolicy policy(String yaml) {
        return new KubernetesSerialization().unmarshal(yaml, NetworkPolicy.class);
    }

    /** Milliseconds from {@code change} until two probes in a row say {@code allowed}. */
    private long until(boolean allowed, Runnable change) throws Exception {
        long t0 = System.nanoTime();
        change.run();
        long first = -1;
        long deadline = t0 + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            long t = System.nanoTime();
            boolean got = prober.probe(from, to, 80, Protocol.TCP).allowed();
            if (got == allowed) {
                if (first >= 0) {
                    return (first - t0) / 1_000_000;
                }
                first = t;
            } else {
                first = -1;
            }
            long slept = (System.nanoTime() - t) / 1_000_000;
            Thread.sleep(Math.max(0, 50 - slept));
        }
        throw new AssertionError("no " + (allowed ? "allowed" : "denied") + " verdict within 20 s");
    }

    @Test
    void policyCreateAndPodLabelChangeToEnforcement() throws Exception {
        NetworkPolicy deny = policy("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bench-deny-a, namespace: x}
                spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress]}
                """);
        NetworkPolicy fromB = policy("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bench-from-b, namespace: x}
                spec:
                  podSelector: {matchLabels: {pod: a}}
                  policyTypes: [Ingress]
                  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
                """);
        until(true, () -> {
        }); // agents synced, path open
        List<Long> create = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            create.add(until(false, () -> ObjectWrites.createOrReplace(client, deny)));
            until(true, () -> client.resource(deny).delete());
        }
        ObjectWrites.createOrReplace(client, fromB);
        until(true, () -> {
        });
        List<Long> label = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            String value = i % 2 == 0 ? "bb" : "b";
            label.add(until(i % 2 != 0, () -> client.pods().inNamespace("x").withName("b").edit(p -> {
                Map<String, String> l = new HashMap<>(p.getMetadata().getLabels());
                l.put("pod", value);
                p.getMetadata().setLabels(l);
                return p;
            })));
        }
        System.out.println("| change (n=" + ROUNDS + ") | p50 | p99 | min | max |");
        System.out.println("|---|---|---|---|---|");
        System.out.println(row("NetworkPolicy create (deny)", create));
        System.out.println(row("pod label change (leaves/rejoins a peer selector)", label));
        assertThat(create).hasSize(ROUNDS);
    }

    private static String row(String what, List<Long> ms) {
        List<Long> s = ms.stream().sorted().toList();
        return "| " + what + " | " + pct(s, 50) + " ms | " + pct(s, 99) + " ms | " + s.get(0) + " ms | "
                + s.get(s.size() - 1) + " ms |";
    }

    private static long pct(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
