package dev.weir.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.conformance.NetpolCluster;
import dev.weir.conformance.Scenario;
import dev.weir.conformance.ScenarioCatalogue;
import dev.weir.conformance.ScenarioRunner;
import dev.weir.lab.LabFixture;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.state.LabState;
import dev.weir.model.IpFamily;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance catalogue (upstream's netpol e2e scenarios and weir's, including the steps that update or delete a
 * policy and relabel pods and namespaces) with real packets on a 2-node lab with real in-process agents, one subclass
 * per topology. Which scenarios run ({@code -Dweir.lab.conformance}): by default (and with {@code all}) every scenario
 * on both topologies, about 95 s each on the 2-core reference machine; {@code half} every scenario on flannel and the
 * even-numbered half on canal (should CI time get short); {@code sample} every {@value #SAMPLE_EVERY}th on both. SCTP is probed with raw INIT packets where the kernel has no SCTP sockets. After
 * the class the lab goes down and nothing may be left: namespaces, links in this namespace, the daemon.
 *
 * <p>Subclasses choose the lab: topology, {@link #backend}, {@link #ipFamily} and the family of the probes
 * ({@link #probedFamily}); the host-gw and dual-stack classes are the wider matrix ({@link #widerMatrix}).
 *
 * <p>After each scenario the agents' denial records are checked against its observations ({@link LabDenialChecks}):
 * every dropped probe has its record with explain's decision, no allowed one has any. It adds about 4 s per topology.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LabConformanceContract {

    static final int SAMPLE_EVERY = 8;

    /** {@code flannel} or {@code canal}. */
    abstract String topology();

    /** Whether {@code half} plays every scenario here (else the even-numbered half). */
    abstract boolean everyScenarioInHalfMode();

    abstract int agentHttpBase();

    /** {@code vxlan} (the default) or {@code host-gw}. */
    String backend() {
        return "vxlan";
    }

    /** The lab's {@code --ip-family}: {@code ipv4} (the default), {@code ipv6} or {@code dual}. */
    String ipFamily() {
        return "ipv4";
    }

    /** The family of the probes, which {@link #ipFamily} must have; the lab's primary one unless overridden. */
    IpFamily probedFamily() {
        return IpStack.parse(ipFamily()).primary();
    }

    /** How the lab runs its agents ({@code lab up} flags): in the daemon's JVM unless a subclass says otherwise. */
    List<String> agentArgs() throws Exception {
        return List.of("--agents", "in-process");
    }

    /** Called once the lab is up, before the first scenario: agents that start slowly are waited for here. */
    void awaitAgents() throws Exception {
    }

    /** Adjusts the scenario cluster before the first scenario (nothing here). */
    void configure(LabScenarioCluster cluster) {
    }

    /**
     * Whether every observation must also agree with explain within {@code LabScenarioCluster}'s deadline, beyond
     * matching the scenario's expectation (the ClusterNetworkPolicy classes ask it; the catalogue classes keep their
     * long-standing check on the expectation alone).
     */
    boolean packetsMustAgreeWithExplain() {
        return false;
    }

    Set<String> linksBefore;
    long started;

    Path stateDir;
    LabFixture lab;
    LabState state;
    KubernetesClient client;
    LabScenarioCluster cluster;

    List<Scenario> scenarios() {
        List<Scenario> all = ScenarioCatalogue.all();
        String mode = System.getProperty("weir.lab.conformance", "all");
        int every = switch (mode) {
            case "sample" -> SAMPLE_EVERY;
            case "half" -> everyScenarioInHalfMode() ? 1 : 2;
            default -> 1;
        };
        return IntStream.range(0, all.size()).filter(i -> i % every == 0).mapToObj(all::get).toList();
    }

    static Set<String> hostLinks() throws Exception {
        Process p = new ProcessBuilder("ip", "-o", "link", "show").redirectErrorStream(true).start();
        Set<String> names = new TreeSet<>();
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(l -> l.split(":\\s+")[1].split("@")[0]).forEach(names::add);
        p.waitFor();
        return names;
    }

    /**
     * Whether this class belongs to the wider matrix (host-gw, dual-stack), beyond the two base suites; those skip
     * with {@code -Dweir.lab.conformance.matrix=base}, should CI time get short (docs/lab.md gives the figures).
     */
    boolean widerMatrix() {
        return false;
    }

    @BeforeAll
    void up() throws Exception {
        Assumptions.assumeFalse(widerMatrix() && "base".equals(System.getProperty("weir.lab.conformance.matrix")),
                "-Dweir.lab.conformance.matrix=base: only the flannel and canal VXLAN IPv4 suites run");
        LabFixture.assumeLabCanRun();
        List<String> agents = agentArgs();
        started = System.nanoTime();
        linksBefore = hostLinks();
        stateDir = Files.createTempDirectory("weir-lab-conformance");
        lab = new LabFixture(stateDir);
        List<String> args = new ArrayList<>(List.of("--nodes", "2", "--topology", topology(), "--backend", backend(),
                "--ip-family", ipFamily(), "--agent-http-base", String.valueOf(agentHttpBase()),
                "-f", clusterManifest(stateDir.resolve("cluster.yaml")).toString()));
        args.addAll(agents);
        state = lab.up(args.toArray(String[]::new));
        awaitAgents();
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(state.kubeconfig())))).build();
        cluster = new LabScenarioCluster(state.plan(), client, !state.sctp(), lab.store(), probedFamily());
        configure(cluster);
    }

    /**
     * The catalogue's cluster ({@link NetpolCluster}): the lab's default one, plus 82/TCP on every pod because the
     * endPort scenarios expect a served port inside their range beyond 81 (explain needs no server; packets do).
     */
    static Path clusterManifest(Path file) throws Exception {
        List<HasMetadata> objects = new ArrayList<>();
        NetpolCluster.NAMESPACES.forEach(ns -> objects.add(NetpolCluster.namespace(ns)));
        for (String key : NetpolCluster.allPods()) {
            Pod pod = NetpolCluster.pod(key, null, null);
            pod.getSpec().getContainers().get(0).getPorts().add(new ContainerPortBuilder().withName("serve-82-tcp")
                    .withContainerPort(82).withProtocol("TCP").build());
            pod.setStatus(null);
            objects.add(pod);
        }
        KubernetesSerialization yaml = new KubernetesSerialization();
        return Files.writeString(file, objects.stream().map(yaml::asYaml).collect(Collectors.joining("\n")));
    }

    @AfterAll
    void down() throws Exception {
        List<String> unsettled = cluster == null ? List.of() : cluster.denials().unsettledProblems();
        if (cluster != null) {
            cluster.close();
        }
        if (client != null) {
            client.close();
        }
        if (lab != null) {
            LabFixture.Run down = lab.down();
            long daemon = state == null ? -1 : state.daemonPid();
            try (var files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            System.out.printf("conformance on %s/%s/%s (%s probes): %d scenarios, %d ms including up and down; "
                    + "denial records: %s%n", topology(), backend(), ipFamily(), IpStack.label(probedFamily()),
                    scenarios().size(), (System.nanoTime() - started) / 1_000_000,
                    cluster == null ? "-" : cluster.denials().stats());
            assertThat(down.code()).as(down.output()).isZero();
            assertThat(LabFixture.leftoverNetns()).as("lab namespaces after down").isEmpty();
            Set<String> newLinks = new TreeSet<>(hostLinks());
            newLinks.removeAll(linksBefore);
            assertThat(newLinks).as("links the lab left in this namespace")
                    .noneMatch(l -> l.matches("(veth|cali|n)\\d+|cni0|flannel\\.1|flannel-v6\\.1|br0|eth0"));
            assertThat(ProcessHandle.of(daemon).filter(ProcessHandle::isAlive)).as("lab daemon").isEmpty();
        }
        assertThat(unsettled).as("allowed cells of the last scenario with a denial record").isEmpty();
    }

    /**
     * Each agent's {@code weir_denial_log_*} and {@code weir_denied_*} metric lines and the counters of its node's
     * NFLOG and DROP rules that counted packets, for a failure message: whether the kernel logged what it dropped,
     * and what the agent made of it.
     */
    String denialLogMetrics() {
        StringBuilder b = new StringBuilder();
        for (LabState.AgentInfo a : state.agents()) {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + a.httpPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                r.body().lines().filter(l -> l.startsWith("weir_denial_log") || l.startsWith("weir_denied"))
                        .forEach(l -> b.append(a.node()).append(' ').append(l).append('\n'));
            } catch (Exception e) {
                b.append(a.node()).append(": ").append(e).append('\n');
            }
            try {
                LabFixture.sh("ip", "netns", "exec", a.node(), "iptables-save", "-c").lines()
                        .filter(l -> (l.contains("NFLOG") || l.contains("DROP")) && !l.startsWith("[0:0]"))
                        .forEach(l -> b.append(a.node()).append(' ').append(l).append('\n'));
            } catch (Exception e) {
                b.append(a.node()).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void realPacketsMatchTheExpectedTruthTables(Scenario scenario) {
        cluster.reset();

        List<ScenarioRunner.Check> checks = ScenarioRunner.run(scenario, cluster);

        assertThat(checks).as("scenario has expectations").isNotEmpty();
        String failures = checks.stream().filter(c -> !c.passed()).map(ScenarioRunner.Check::report)
                .collect(Collectors.joining("\n"));
        assertThat(failures).as(scenario.name()).isEmpty();
        if (packetsMustAgreeWithExplain()) {
            assertThat(cluster.disagreements()).as("%s: packets vs explain", scenario.name()).isEmpty();
        }
        List<String> denialProblems = cluster.denials().problems(scenario.name());
        assertThat(denialProblems).as("%s: the denial records vs explain's decisions; the agents' log metrics:%n%s",
                scenario.name(), denialProblems.isEmpty() ? "" : denialLogMetrics()).isEmpty();
    }
}
