package dev.weir.lab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.Topology;
import dev.weir.lab.topology.AddressPlanner;
import dev.weir.lab.topology.LabPlan;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the lab's API server (no namespaces needed: the objects alone). */
class KubectlAgainstLabApiServerTest {

    private static LabApiServer api;
    private static Path kubeconfig;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(kubectlOnPath(), "kubectl is not on the PATH: skipping the kubectl tests");
        api = LabApiServer.start(0);
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, api.kubeconfig());
        LabPlan plan = AddressPlanner.plan(LabSpec.defaultCluster(2, Topology.FLANNEL, Backend.VXLAN), "wl-");
        ClusterObjects.create(api.client(), plan, Map.of("x", Map.of("ns", "x"), "y", Map.of("ns", "y"),
                "z", Map.of("ns", "z")));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static boolean kubectlOnPath() {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")));
    }

    private static String kubectl(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--request-timeout=10s"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
        assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
        return out.strip();
    }

    private static Path policyFile(String allowedPod) throws IOException {
        return Files.writeString(dir.resolve("np.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: only-one, namespace: x}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                  - from: [{podSelector: {matchLabels: {pod: %s}}}]
                """.formatted(allowedPod));
    }

    @Test
    void podsLookExactlyLikeTheLabsNamespaces() throws Exception {
        assertThat(kubectl("get", "pod", "-n", "y", "a", "-o",
                "jsonpath={.status.podIP} {.status.phase} {.spec.nodeName} {.spec.containers[0].ports[0].name}"))
                .isEqualTo("10.244.2.3 Running wl-n2 serve-80-tcp");
        assertThat(kubectl("get", "ns", "z", "-o", "jsonpath={.metadata.labels}"))
                .isEqualTo("{\"kubernetes.io/metadata.name\":\"z\",\"ns\":\"z\"}");
    }

    @Test
    void applyThenReapplyAChangedPolicyReplacesItsRules() throws Exception {
        assertThat(kubectl("apply", "--validate=false", "-f", policyFile("a").toString())).contains("created");
        assertThat(kubectl("apply", "--validate=false", "-f", policyFile("b").toString())).contains("configured");

        NetworkPolicy np = api.client().network().v1().networkPolicies().inNamespace("x").withName("only-one").get();
        assertThat(np.getSpec().getIngress()).singleElement()
                .satisfies(r -> assertThat(r.getFrom()).singleElement().satisfies(
                        f -> assertThat(f.getPodSelector().getMatchLabels()).isEqualTo(Map.of("pod", "b"))));
        assertThat(kubectl("apply", "--validate=false", "-f", policyFile("b").toString())).contains("unchanged");

        assertThat(kubectl("delete", "-f", policyFile("b").toString())).contains("deleted");
        assertThat(api.client().network().v1().networkPolicies().inNamespace("x").list().getItems()).isEmpty();
    }

    @Test
    void labelAddsAndRemovesPodAndNamespaceLabels() throws Exception {
        kubectl("label", "pod", "-n", "z", "c", "team=blue");
        kubectl("label", "ns", "y", "env=prod");
        assertThat(api.client().pods().inNamespace("z").withName("c").get().getMetadata().getLabels())
                .containsEntry("team", "blue").containsEntry("pod", "c");

        kubectl("label", "pod", "-n", "z", "c", "team-");
        assertThat(api.client().pods().inNamespace("z").withName("c").get().getMetadata().getLabels())
                .isEqualTo(Map.of("pod", "c"));
        assertThat(api.client().namespaces().withName("y").get().getMetadata().getLabels())
                .containsEntry("env", "prod");
    }

    @Test
    void clusterNetworkPoliciesAreClusterScopedObjectsKubectlCanApplyAndList() throws Exception {
        Path cnp = Files.writeString(dir.resolve("cnp.yaml"), """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: deny-z}
                spec:
                  tier: Admin
                  priority: 10
                  subject: {namespaces: {matchLabels: {ns: z}}}
                  ingress:
                  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
                """);

        assertThat(kubectl("apply", "--validate=false", "-f", cnp.toString())).contains("created");
        assertThat(kubectl("get", "cnp", "-o", "name"))
                .isEqualTo("clusternetworkpolicy.policy.networking.k8s.io/deny-z");
        assertThat(kubectl("apply", "--validate=false", "-f", cnp.toString())).contains("unchanged");
        assertThat(kubectl("delete", "-f", cnp.toString())).contains("deleted");
    }

    @Test
    void theLabHoldsWeirsClusterNetworkPolicyCrdAsHelmWouldInstallIt() throws Exception {
        assertThat(kubectl("get", "crd", "clusternetworkpolicies.policy.networking.k8s.io", "-o",
                "jsonpath={.metadata.annotations.policy\\.networking\\.k8s\\.io/channel}"
                        + " {.metadata.annotations.policy\\.networking\\.k8s\\.io/bundle-version}"))
                .isEqualTo("standard v0.2.0");
    }

    @Test
    void discoveryServesEveryKindTheLabUses() throws Exception {
        assertThat(kubectl("api-resources", "-o", "name")).contains("pods", "namespaces", "nodes",
                "networkpolicies.networking.k8s.io", "clusternetworkpolicies.policy.networking.k8s.io");
        assertThat(kubectl("get", "nodes", "-o", "name")).isEqualTo("node/wl-n1\nnode/wl-n2");
    }
}
