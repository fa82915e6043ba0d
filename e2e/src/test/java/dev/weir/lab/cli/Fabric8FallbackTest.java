package dev.weir.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.Main;
import dev.weir.lab.api.LabApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir lab apply|delete|label}: the kubectl verbs the lab needs, through fabric8, for machines without it. */
class Fabric8FallbackTest {

    @TempDir
    static Path stateDir;
    static LabApiServer api;

    @BeforeAll
    static void start() throws Exception {
        api = LabApiServer.start(0);
        Files.writeString(stateDir.resolve("kubeconfig"), api.kubeconfig());
        api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("x")
                .addToLabels("ns", "x").endMetadata().build()).create();
        api.client().pods().inNamespace("x").resource(new PodBuilder().withNewMetadata().withName("a")
                .withNamespace("x").addToLabels("pod", "a").endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private String weir(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.addAll(List.of("--state-dir", stateDir.toString()));
        int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void applyCreatesThenReplacesAndDeleteRemoves() throws Exception {
        Path f = stateDir.resolve("np.yaml");
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec: {podSelector: {matchLabels: {pod: %s}}, policyTypes: [Ingress]}
                """;
        Files.writeString(f, policy.formatted("a"));
        weir("lab", "apply", "-f", f.toString());
        Files.writeString(f, policy.formatted("b"));
        assertThat(weir("lab", "apply", "-f", f.toString())).contains("networkpolicy/p applied");

        assertThat(api.client().network().v1().networkPolicies().inNamespace("x").withName("p").get().getSpec()
                .getPodSelector().getMatchLabels()).isEqualTo(Map.of("pod", "b"));

        weir("lab", "delete", "-f", f.toString());
        assertThat(api.client().network().v1().networkPolicies().inNamespace("x").list().getItems()).isEmpty();
    }

    @Test
    void labelSetsAndRemovesLabelsOnPodsAndNamespaces() {
        weir("lab", "label", "pod", "a", "-n", "x", "team=blue", "pod-");
        weir("lab", "label", "ns", "x", "env=prod");

        assertThat(api.client().pods().inNamespace("x").withName("a").get().getMetadata().getLabels())
                .isEqualTo(Map.of("team", "blue"));
        assertThat(api.client().namespaces().withName("x").get().getMetadata().getLabels())
                .isEqualTo(Map.of("ns", "x", "env", "prod"));
    }
}
