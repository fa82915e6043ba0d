package dev.weir.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.conformance.NetpolCluster;
import dev.weir.conformance.Scenario;
import dev.weir.conformance.ScenarioCatalogue;
import dev.weir.conformance.ScenarioRunner;
import dev.weir.lab.LabFixture;
import dev.weir.lab.state.LabState;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance catalogue (upstream's netpol e2e scenarios and weir's) with real packets on a lab with real agents.
 * By default a sample (every {@value #SAMPLE_EVERY}th scenario) keeps the build fast; {@code -Dweir.lab.conformance=all}
 * plays all of them. Scenarios that need SCTP are skipped when the kernel has none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabConformanceTest {

    static final int SAMPLE_EVERY = 8;

    Path stateDir;
    LabFixture lab;
    LabState state;
    KubernetesClient client;
    LabScenarioCluster cluster;

    static List<Scenario> scenarios() {
        List<Scenario> all = ScenarioCatalogue.all();
        if ("all".equals(System.getProperty("weir.lab.conformance"))) {
            return all;
        }
        return IntStream.range(0, all.size()).filter(i -> i % SAMPLE_EVERY == 0).mapToObj(all::get).toList();
    }

    @BeforeAll
    void up() throws Exception {
        assumeTrue(LabFixture.root(), LabFixture.NOT_ROOT);
        stateDir = Files.createTempDirectory("weir-lab-conformance");
        lab = new LabFixture(stateDir);
        state = lab.up("--nodes", "2", "--topology", "flannel", "--agents", "in-process", "--agent-http-base",
                "19500", "-f", clusterManifest(stateDir.resolve("cluster.yaml")).toString());
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(state.kubeconfig())))).build();
        cluster = new LabScenarioCluster(state.plan(), client);
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
        if (cluster != null) {
            cluster.close();
        }
        if (client != null) {
            client.close();
        }
        if (lab != null) {
            lab.down();
            try (var files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void realPacketsMatchTheExpectedTruthTables(Scenario scenario) {
        boolean needsSctp = scenario.steps().stream().anyMatch(s -> s instanceof Scenario.Expect e
                && e.target().protocol() == Protocol.SCTP);
        assumeTrue(!needsSctp || state.sctp(), "needs SCTP: " + state.sctpNote());
        cluster.reset();

        List<ScenarioRunner.Check> checks = ScenarioRunner.run(scenario, cluster);

        assertThat(checks).as("scenario has expectations").isNotEmpty();
        String failures = checks.stream().filter(c -> !c.passed()).map(ScenarioRunner.Check::report)
                .collect(Collectors.joining("\n"));
        assertThat(failures).as(scenario.name()).isEmpty();
    }
}
