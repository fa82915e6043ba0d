package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.Explainer;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableText;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.Ruleset;
import dev.weir.k8s.LoadResult;
import dev.weir.k8s.ManifestLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * No poison pills: random malformed objects of every kind weir reads go through both of weir's paths (manifest text
 * to loader, graph and {@code weir explain}'s table; fabric8 objects to the agent's translation, its incremental graph
 * and the node's ruleset) next to a valid deny-all-ingress policy. Nothing may escape as an exception, every
 * rejection names its object, and the valid policy must still be in the result.
 *
 * <p>Seeded: a failure names the seed of its batch; {@code -Dweir.fuzz.seed=N -Dweir.fuzz.batches=1} replays it.
 * {@code -Dweir.fuzz.batches} also makes a longer run.
 */
class MalformedObjectsFuzzTest {

    private static final int PER_BATCH = 400;
    private static final long SEED = Long.getLong("weir.fuzz.seed", 20261207L);
    private static final int BATCHES = Integer.getInteger("weir.fuzz.batches", 250);
    private static final PortProtocol HTTP = PortProtocol.tcp(80);

    @Test
    void noMalformedObjectStopsExplainOrTheAgentAndTheValidPolicyStaysInForce() {
        long start = System.nanoTime();
        long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        int objects = 0;
        int rejected = 0;
        int delivered = 0;
        for (int b = 0; b < BATCHES; b++) {
            long seed = SEED + b;
            List<Map<String, Object>> batch = batch(new Random(seed));
            try {
                rejected += explainPath(batch, b % 4 != 0); // JSON, and every fourth batch YAML
                delivered += agentPath(batch, new Random(~seed));
            } catch (Throwable e) {
                throw new AssertionError("batch with seed " + seed + " failed (replay: -Dweir.fuzz.seed=" + seed
                        + " -Dweir.fuzz.batches=1): " + e, e);
            }
            objects += batch.size();
        }
        System.out.printf("fuzz: %d objects in %d batches through explain (%d rejected) and the agent (%d an informer"
                + " could deliver) in %d ms (%d ms of CPU), seed %d%n", objects, BATCHES, rejected, delivered,
                (System.nanoTime() - start) / 1_000_000,
                (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart)
                        / 1_000_000, SEED);
        assertThat(objects).isGreaterThanOrEqualTo(BATCHES * PER_BATCH);
    }

    /** The valid objects first, then {@value #PER_BATCH} malformed ones, the kinds taking turns. */
    private static List<Map<String, Object>> batch(Random random) {
        List<Map<String, Object>> out = new ArrayList<>(valid());
        MalformedObjects malformed = new MalformedObjects(random);
        for (int i = 0; i < PER_BATCH; i++) {
            out.add(malformed.next(MalformedObjects.KINDS.get(i % MalformedObjects.KINDS.size()), "f-" + i));
        }
        return out;
    }

    private static List<Map<String, Object>> valid() {
        return List.of(pod("a", "10.9.0.1"), pod("b", "10.9.0.2"), MalformedObjects.map(
                "apiVersion", "networking.k8s.io/v1", "kind", "NetworkPolicy",
                "metadata", MalformedObjects.map("name", "deny-all-ingress", "namespace", "x"),
                "spec", MalformedObjects.map("podSelector", Map.of(), "policyTypes", List.of("Ingress"))));
    }

    private static Map<String, Object> pod(String name, String ip) {
        return MalformedObjects.map("apiVersion", "v1", "kind", "Pod",
                "metadata", MalformedObjects.map("name", name, "namespace", "x", "labels", Map.of("app", name)),
                "spec", MalformedObjects.map("nodeName", "n1", "containers", List.of(MalformedObjects.map(
                        "name", "c", "image", "i", "ports", List.of(Map.of("containerPort", 80))))),
                "status", MalformedObjects.map("podIP", ip));
    }

    /** {@code weir explain}'s steps on the batch as one manifest text; returns how many diagnostics it gave. */
    private static int explainPath(List<Map<String, Object>> batch, boolean json) {
        String text;
        if (json) {
            text = Serialization.jsonMapper().writeValueAsString(Map.of("apiVersion", "v1", "kind", "List",
                    "items", batch));
        } else {
            StringBuilder sb = new StringBuilder();
            for (Map<String, Object> o : batch) {
                sb.append("---\n").append(Serialization.yamlMapper().writeValueAsString(o));
            }
            text = sb.toString();
        }
        LoadResult loaded = ManifestLoader.load(List.of("-"),
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(loaded.diagnostics()).allSatisfy(d -> assertThat(d.subject()).isNotNull());
        assertThat(loaded.hasRejections()).isTrue();
        assertThat(loaded.snapshot().policies()).anySatisfy(p -> assertThat(p.name()).isEqualTo("deny-all-ingress"));
        Reachability reachability = new Reachability(PolicyCompiler.compile(loaded.snapshot()));
        TruthTable table = Explainer.table(reachability, Explainer.livePods(reachability.graph()), List.of(HTTP),
                null, false);
        assertThat(TruthTableText.render(table)).contains("x/a");
        if (loaded.snapshot().clusterPolicies().isEmpty()) { // an accepted random one may decide x/b -> x/a first
            assertThat(table.cell("x/b", "x/a", HTTP)).hasValueSatisfying(c -> assertThat(c.allowed()).isFalse());
        }
        return loaded.diagnostics().size();
    }

    /**
     * The agent's steps: each object as its informer would deliver it, translated, into the state, rendered. A
     * malformed object that no informer could deliver (a wrong type fails decoding; no name) is replaced by another of
     * its kind, up to 20 tries, so that the agent sees about as many objects as explain. Returns how many it saw.
     */
    private static int agentPath(List<Map<String, Object>> batch, Random random) {
        MalformedObjects malformed = new MalformedObjects(random);
        int valid = valid().size();
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            HasMetadata typed = AgentFuzzing.asInformerObject(batch.get(i));
            for (int tries = 0; typed == null && i >= valid && tries < 20; tries++) {
                int n = i - valid;
                typed = AgentFuzzing.asInformerObject(
                        malformed.next(MalformedObjects.KINDS.get(n % MalformedObjects.KINDS.size()), "f-" + n));
            }
            if (typed != null) {
                changes.add(AgentFuzzing.translate(typed));
            }
        }
        ClusterState state = new ClusterState();
        state.replaceAll(changes);
        Ruleset ruleset = IptablesRenderer.render(state.graph(), "n1");
        assertThat(state.graph().policies()).containsKey("x/deny-all-ingress");
        assertThat(ruleset.toString()).contains("x/deny-all-ingress");
        return changes.size();
    }
}
