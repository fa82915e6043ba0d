package dev.weir.lab.conformance;

import dev.weir.conformance.Scenario;
import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.conformance.ScenarioCluster;
import dev.weir.explain.Explainer;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.graph.Reachability;
import dev.weir.lab.api.ObjectWrites;
import dev.weir.lab.denials.DeniedCells;
import dev.weir.lab.probe.LabExplain;
import dev.weir.lab.probe.PacketSources;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.ProbeTable;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance catalogue's {@link ScenarioCluster} played on a running lab: steps go to the lab's API server,
 * {@link #observe} sends real packets. The agents apply changes asynchronously, so {@code observe} probes until the
 * packets agree with what explain computes from the lab's current objects (the state the agents converge to), or a
 * deadline passes, and returns the last probed table; the runner then compares it with the scenario's expectation,
 * which is independent of both.
 *
 * <p>Each observation that agreed with explain also goes, with its last round of probes and when that round ran, to
 * {@link LabDenialChecks}, which checks the agents' denial records against it.
 */
final class LabScenarioCluster implements ScenarioCluster, AutoCloseable {

    private static final Duration CONVERGE = Duration.ofSeconds(10);
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private final LabPlan plan;
    private final KubernetesClient client;
    private final IpFamily family;
    private final Prober prober;
    private final List<String> disagreements = new ArrayList<>();
    /**
     * The states the objects went through since the last observation that agreed (that one's first, then one after
     * each write), kept across scenarios: what the agents may still enforce while the latest write reaches them.
     */
    private final List<Reachability> earlierStates = new ArrayList<>();
    private final LabDenialChecks denials;
    private AgentQuiescence quiescence;

    /**
     * Probes in the lab's primary family.
     *
     * @param store the lab's state directory, where its agents write their denial records
     */
    LabScenarioCluster(LabPlan plan, KubernetesClient client, boolean rawSctp, StateStore store) {
        this(plan, client, rawSctp, store, plan.ipStack().primary());
    }

    /**
     * Probes with packets of {@code family} and compares them with explain's table for that family. IPv6 probes of
     * scenarios written with IPv4 ipBlocks get each ipBlock's IPv6 twin added ({@link Ipv6IpBlocks}) as a dual-stack
     * user would write it, so that the scenario's expectation holds for them too.
     */
    LabScenarioCluster(LabPlan plan, KubernetesClient client, boolean rawSctp, StateStore store, IpFamily family) {
        this.plan = plan;
        this.client = client;
        this.family = family;
        // short timeouts: a denied cell costs 2 x 400 ms; an allowed one answers in about a millisecond. At most 32
        // probes in flight of which each dropped one takes 400 ms: at most 80 dropped packets a second for both
        // nodes together, within the agents' NFLOG rate limit (100/s per node, bursts of 200), so none goes unlogged
        this.prober = new Prober(plan, 32, Duration.ofMillis(400), 2, rawSctp, family);
        this.denials = new LabDenialChecks(plan, store, family);
    }

    /** Slow agents: wait for them to apply each batch of writes before the next observation. */
    void awaitAgentsAfterWrites(AgentQuiescence q) {
        this.quiescence = q;
    }

    private void writing() {
        if (quiescence != null) {
            quiescence.beforeWrite();
        }
    }

    @Override
    public Scenario.Addresses addresses() {
        return key -> plan.pod(key).orElseThrow(() -> new IllegalArgumentException("no pod " + key + " in the lab"))
                .ip();
    }

    @Override
    public void apply(NetworkPolicy policy) {
        writing();
        if (family == IpFamily.V6) {
            policy = Ipv6IpBlocks.withTwins(policy, plan);
        }
        ObjectWrites.createOrReplace(client, policy);
        remember();
    }

    @Override
    public void delete(String namespace, String name) {
        writing();
        client.network().v1().networkPolicies().inNamespace(namespace).withName(name).delete();
        remember();
    }

    @Override
    public void deleteAllPolicies() {
        writing();
        client.network().v1().networkPolicies().inAnyNamespace().list().getItems().forEach(p -> {
            client.resource(p).delete();
            remember();
        });
    }

    /** Through the lab API server as the typed CR the agents watch; {@code yaml} must hold one object named {@code name}. */
    @Override
    public void applyClusterPolicy(String name, String yaml) {
        writing();
        ClusterNetworkPolicy cnp = YAML.unmarshal(yaml, ClusterNetworkPolicy.class);
        if (!name.equals(cnp.getMetadata().getName())) {
            throw new IllegalArgumentException("manifest names " + cnp.getMetadata().getName() + ", not " + name);
        }
        ObjectWrites.createOrReplace(client, cnp);
        remember();
    }

    @Override
    public void deleteClusterPolicy(String name) {
        writing();
        client.resources(ClusterNetworkPolicy.class).withName(name).delete();
        remember();
    }

    void deleteAllClusterPolicies() {
        writing();
        client.resources(ClusterNetworkPolicy.class).list().getItems().forEach(p -> {
            client.resource(p).delete();
            remember();
        });
    }

    /** The objects as they are after a write, one of the {@link #earlierStates}. */
    private void remember() {
        earlierStates.add(LabExplain.reachability(client, d -> {
        }));
    }

    @Override
    public void labelPod(String podKey, Map<String, String> labels) {
        writing();
        String[] k = podKey.split("/");
        client.pods().inNamespace(k[0]).withName(k[1]).edit(p -> {
            Map<String, String> merged = new HashMap<>(p.getMetadata().getLabels());
            merged.putAll(labels);
            p.getMetadata().setLabels(merged);
            return p;
        });
        remember();
    }

    @Override
    public void labelNamespace(String namespace, Map<String, String> labels) {
        writing();
        client.namespaces().withName(namespace).edit(n -> {
            Map<String, String> merged = new HashMap<>(n.getMetadata().getLabels());
            merged.putAll(labels);
            n.getMetadata().setLabels(merged);
            return n;
        });
        remember();
    }

    /** Back to the lab as {@code up} made it: no policies (namespaced or cluster), the original labels. */
    void reset() {
        deleteAllPolicies();
        deleteAllClusterPolicies();
        disagreements.clear();
        denials.reset();
        for (LabPlan.PodPlan p : plan.pods()) {
            client.pods().inNamespace(p.namespace()).withName(p.name()).edit(pod -> {
                pod.getMetadata().setLabels(new HashMap<>(p.labels()));
                return pod;
            });
        }
        for (String ns : plan.pods().stream().map(LabPlan.PodPlan::namespace).distinct().toList()) {
            client.namespaces().withName(ns).edit(n -> {
                n.getMetadata().setLabels(new HashMap<>(Map.of("ns", ns, "kubernetes.io/metadata.name", ns)));
                return n;
            });
        }
    }

    @Override
    public TruthTable observe(List<String> pods, PortProtocol target) {
        if (quiescence != null) {
            quiescence.awaitApplied();
        }
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        TruthTable probed;
        List<TruthTableDiff.Difference> diff;
        do {
            Instant round = Instant.now();
            List<ProbeResult> results = probe(pods, target);
            Instant end = Instant.now();
            probed = ProbeTable.of(pods, results);
            Reachability state = LabExplain.reachability(client, d -> {
            });
            TruthTable explained = asSent(state, pods, target);
            diff = TruthTableDiff.between(explained, probed);
            if (diff.isEmpty()) {
                // what the agents may have enforced until the last write reached them: the denial checks accept
                // those states' decisions for cells they deny too
                List<TruthTable> before = earlierStates.stream()
                        .map(r -> asSent(r, pods, target)).toList();
                earlierStates.clear();
                earlierStates.add(state);
                denials.observed(target, results, explained, before, new DeniedCells.Window(round, end));
                return probed;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        disagreements.add(target + " " + IpStack.label(family) + " after " + CONVERGE.toSeconds() + " s:\n"
                + TruthTableDiff.render(diff));
        denials.unconverged();
        return probed;
    }

    /**
     * Explain's table for packets of the probed family over {@code state}, each judged by the source address it
     * carries ({@link PacketSources}), as {@code LabExplain.table} gives it for the lab's objects now.
     */
    private TruthTable asSent(Reachability state, List<String> pods, PortProtocol target) {
        return PacketSources.asSent(Explainer.table(state, pods, List.of(target), family), state, plan, family);
    }

    /** The check of the agents' denial records against the observations. */
    LabDenialChecks denials() {
        return denials;
    }

    /**
     * The observations since {@link #reset} where the packets never agreed with explain before the deadline, each with
     * the differing cells (explain expected, probes actual).
     */
    List<String> disagreements() {
        return List.copyOf(disagreements);
    }

    /** One cell, probed once more (for what a denied packet looks like, not only whether it was denied). */
    ProbeResult probe(String from, String to, int port, Protocol protocol) throws Exception {
        return prober.probe(plan.pod(from).orElseThrow(), plan.pod(to).orElseThrow(), port, protocol);
    }

    private List<ProbeResult> probe(List<String> pods, PortProtocol target) {
        try {
            return prober.probeAmong(pods, target.port(), target.protocol());
        } catch (Exception e) {
            throw new IllegalStateException("probing " + target + ": " + e, e);
        }
    }

    @Override
    public void close() {
        denials.close();
        prober.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
