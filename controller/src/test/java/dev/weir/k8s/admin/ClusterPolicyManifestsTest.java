package dev.weir.k8s.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.k8s.Translated;
import dev.weir.model.ClusterPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClusterPolicyManifestsTest {

    static final Path EXAMPLES = Path.of("..", "examples", "cluster-network-policy");

    @Test
    void readsEveryClusterNetworkPolicyOfAMultiDocumentStreamAndIgnoresOtherKinds() {
        String yaml = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: a}
                ---
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: first}
                spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: np, namespace: a}
                spec: {podSelector: {}}
                ---
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: second}
                spec: {tier: Baseline, priority: 1, subject: {namespaces: {}}}
                """;
        assertThat(ClusterPolicyManifests.translate(yaml)).extracting(t -> t.object().name())
                .containsExactly("first", "second");
    }

    @Test
    void readsAKubectlListOutput() {
        String yaml = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: policy.networking.k8s.io/v1alpha2
                  kind: ClusterNetworkPolicy
                  metadata: {name: listed}
                  spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
                """;
        assertThat(ClusterPolicyManifests.translate(yaml)).singleElement()
                .matches(Translated::isAccepted, "accepted");
    }

    @Test
    void textThatIsNotYamlIsOneRejectionNotAnException() {
        assertThat(ClusterPolicyManifests.translate("kind: [unclosed")).singleElement()
                .matches(t -> !t.isAccepted(), "rejected");
    }

    @Test
    void aBrokenDocumentIsOneRejectionAndTheOthersAreStillRead() {
        String cnp = """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: NAME}
                spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
                """;
        List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate(cnp.replace("NAME", "first")
                + "---\nkind: [unclosed\n---\n" + cnp.replace("NAME", "second"));

        assertThat(all).extracting(t -> t.object().name() + " " + t.isAccepted())
                .containsExactly("first true", "<unparsable manifest> false", "second true");
        assertThat(all.get(1).diagnostics()).singleElement().asString()
                .startsWith("ClusterNetworkPolicy <unparsable manifest>: document 2: invalid YAML at line 6");
    }

    @Test
    void everyShippedExampleIsAcceptedWithoutDiagnostics() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            // cluster.yaml holds the namespaces and pods explain evaluates the examples over
            files = s.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("cluster.yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path f : files) {
            List<Translated<ClusterPolicy>> all = ClusterPolicyManifests.translate(Files.readString(f));
            assertThat(all).as(f.toString()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t).as("%s: %s", f, t.diagnostics())
                            .matches(Translated::isAccepted, "accepted"))
                    .allSatisfy(t -> assertThat(t.diagnostics()).as(f.toString()).isEmpty());
        }
    }
}
