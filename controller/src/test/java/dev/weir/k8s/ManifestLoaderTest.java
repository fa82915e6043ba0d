package dev.weir.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ClusterPolicy;
import dev.weir.model.IpAddress;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {

    @TempDir
    Path dir;

    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    private static InputStream stdin(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final String POD_X_A = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a}}
            status: {podIP: 10.0.0.1}
            """;

    @Test
    void multiDocumentYamlFromStdinLoadsEveryKind() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: x, labels: {ns: x}}
                ---
                """ + POD_X_A + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: x}
                spec: {podSelector: {}}
                """));

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.snapshot().namespaces()).extracting(Namespace::name).containsExactly("x");
        assertThat(r.snapshot().namespaces().get(0).labels()).containsEntry("ns", "x")
                .containsEntry("kubernetes.io/metadata.name", "x");
        assertThat(r.snapshot().endpoints()).extracting(e -> e.key().namespacedName()).containsExactly("x/a");
        assertThat(r.snapshot().policies()).extracting(p -> p.key().namespacedName()).containsExactly("x/deny");
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void kubectlListOutputIsUnpacked() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin("""
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: a, namespace: x}
                    status: {podIP: 10.0.0.1}
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: b, namespace: x}
                    status: {podIP: 10.0.0.2}
                metadata: {resourceVersion: ""}
                """));
        assertThat(r.snapshot().endpoints()).extracting(e -> e.key().namespacedName()).containsExactly("x/a", "x/b");
    }

    @Test
    void jsonFileIsRead() throws IOException {
        Files.writeString(dir.resolve("pod.json"), """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"x"},
                 "status":{"podIP":"10.0.0.1"}}
                """);
        LoadResult r = ManifestLoader.load(List.of(dir.resolve("pod.json").toString()), NO_STDIN);
        assertThat(r.snapshot().endpoints()).extracting(e -> e.key().namespacedName()).containsExactly("x/a");
    }

    @Test
    void directoryReadsManifestFilesInNameOrderAndIgnoresOthers() throws IOException {
        Files.writeString(dir.resolve("b.yml"), POD_X_A.replace("10.0.0.1", "10.0.0.2"));
        Files.writeString(dir.resolve("a.yaml"), POD_X_A);
        Files.writeString(dir.resolve("README.md"), "not: [yaml");
        LoadResult r = ManifestLoader.load(List.of(dir.toString()), NO_STDIN);
        assertThat(r.diagnostics()).isEmpty();
        // b.yml comes after a.yaml, so its version of x/a wins, as a later kubectl apply would
        assertThat(r.snapshot().endpoints().get(0).ips()).containsExactly(IpAddress.parse("10.0.0.2"));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("last one counts: x/a"));
    }

    @Test
    void aSeparatorLineInsideABlockScalarDoesNotSplitTheDocument() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin(POD_X_A + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: script
                  namespace: x
                  annotations:
                    example: |
                      kind: Pod
                      ---
                      kind: Pod
                data:
                  docs.yaml: |
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: not-a-pod, namespace: x}
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: nor-this, namespace: x}
                ---
                """ + POD_X_A.replace("name: a", "name: b").replace("10.0.0.1", "10.0.0.2")));

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.snapshot().endpoints()).extracting(e -> e.key().namespacedName()).containsExactly("x/a", "x/b");
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("ignored 1 object of kind ConfigMap"));
    }

    @Test
    void brokenDocumentIsADiagnosticNamingFileAndIndexAndTheRestStillLoads() throws IOException {
        Path f = dir.resolve("mixed.yaml");
        Files.writeString(f, POD_X_A + "---\nkind: Pod\nmetadata: {name: [oops\n---\n"
                + POD_X_A.replace("name: a", "name: b").replace("10.0.0.1", "10.0.0.2"));
        LoadResult r = ManifestLoader.load(List.of(f.toString()), NO_STDIN);
        assertThat(r.diagnostics()).hasSize(1);
        assertThat(r.diagnostics().get(0).toString()).startsWith("File " + f + ": document 2: invalid YAML");
        assertThat(r.snapshot().endpoints()).extracting(e -> e.key().namespacedName()).containsExactly("x/a", "x/b");
        assertThat(r.hasRejections()).isTrue();
    }

    @Test
    void rejectedPolicyIsLeftOutAndOthersStay() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: bad, namespace: x}
                spec:
                  podSelector: {}
                  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: good, namespace: x}
                spec: {podSelector: {}}
                """));
        assertThat(r.snapshot().policies()).extracting(p -> p.key().namespacedName()).containsExactly("x/good");
        assertThat(r.diagnostics()).extracting(Object::toString).containsExactly(
                "NetworkPolicy x/bad: spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR \"10.0.0.0/33\"");
    }

    @Test
    void otherKindsAreSkippedWithANote() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: s, namespace: x}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: t, namespace: x}
                """));
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.notes()).containsExactly("ignored 2 objects of kind ConfigMap (weir explain reads Namespace, "
                + "Pod, Node, networking.k8s.io/v1 NetworkPolicy, policy.networking.k8s.io/v1alpha2 "
                + "ClusterNetworkPolicy and, for --to svc/NS/NAME, Service)");
    }

    @Test
    void clusterNetworkPoliciesAreRejectedWhenInvalidAndLoadedIntoTheSnapshotWhenValid() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: no-spec}
                """));
        assertThat(r.diagnostics()).extracting(Object::toString)
                .anySatisfy(d -> assertThat(d).startsWith("ClusterNetworkPolicy no-spec: spec"));
        assertThat(r.snapshot().policies()).isEmpty();
        assertThat(r.snapshot().clusterPolicies()).isEmpty();

        LoadResult valid = ManifestLoader.load(List.of("-"), stdin("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: deny-metadata}
                spec:
                  tier: Admin
                  priority: 10
                  subject: {namespaces: {}}
                  egress:
                    - name: deny-metadata-service
                      action: Deny
                      to: [{networks: [169.254.169.254/32]}]
                """));
        assertThat(valid.diagnostics()).isEmpty();
        assertThat(valid.snapshot().clusterPolicies()).extracting(ClusterPolicy::name).containsExactly("deny-metadata");
        assertThat(valid.notes()).noneSatisfy(n -> assertThat(n).contains("not evaluated"));
    }

    @Test
    void namespacesThatAreOnlyReferencedAreCreatedWithTheirNameLabel() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin(POD_X_A + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: y}
                spec: {podSelector: {}}
                """));
        assertThat(r.snapshot().namespaces()).containsExactly(
                new Namespace("x", java.util.Map.of("kubernetes.io/metadata.name", "x")),
                new Namespace("y", java.util.Map.of("kubernetes.io/metadata.name", "y")));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("namespaces not given").contains("x, y"));
    }

    @Test
    void podsWithoutAddressGetDeterministicOnesAvoidingGivenAddresses() {
        String noIp = """
                apiVersion: v1
                kind: Pod
                metadata: {name: NAME, namespace: x}
                ---
                """;
        LoadResult r = ManifestLoader.load(List.of("-"), stdin(noIp.replace("NAME", "c") + noIp.replace("NAME", "b")
                + POD_X_A.replace("10.0.0.1", "10.254.0.1")));
        assertThat(r.snapshot().endpoints()).extracting(e -> e.key().namespacedName() + "=" + e.ips()).containsExactly(
                "x/a=[10.254.0.1]", "x/b=[10.254.0.2]", "x/c=[10.254.0.3]");
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("10.254.0.0/16")
                .contains("x/b=10.254.0.2, x/c=10.254.0.3"));
    }

    @Test
    void missingFileIsADiagnostic() {
        LoadResult r = ManifestLoader.load(List.of(dir.resolve("nope.yaml").toString()), NO_STDIN);
        assertThat(r.diagnostics()).extracting(Object::toString)
                .containsExactly("File " + dir.resolve("nope.yaml") + ": no such file or directory");
    }

    @Test
    void objectOfWrongShapeIsADiagnosticNotACrash() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin("""
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: x}
                spec: {containers: "not a list"}
                ---
                - just
                - a list
                """));
        assertThat(r.diagnostics()).hasSize(2);
        assertThat(r.diagnostics().get(0).toString()).isEqualTo("Pod x/a: spec.containers: Cannot deserialize value "
                + "of type `java.util.ArrayList<io.fabric8.kubernetes.api.model.Container>` from String value (token "
                + "`JsonToken.VALUE_STRING`)");
        assertThat(r.diagnostics().get(1).toString()).contains("document 2: expected a Kubernetes object");
    }

    /** Issue 11's two policies as a client can send them, next to a valid one: all three load, as on a cluster. */
    @Test
    void policiesWithANullRuleOrANullLabelValueLoadAsTheApiServerStoresThemWithAWarning() {
        LoadResult r = ManifestLoader.load(List.of("-"), stdin("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all-ingress, namespace: x}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: null-egress, namespace: z}
                spec: {podSelector: {}, policyTypes: [Egress], egress: [null]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: null-label, namespace: z}
                spec: {podSelector: {matchLabels: {a: null}}}
                """));
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.snapshot().policies()).extracting(p -> p.key().namespacedName())
                .containsExactly("x/deny-all-ingress", "z/null-egress", "z/null-label");
        assertThat(r.notes()).contains(
                "warning: NetworkPolicy z/null-egress: spec.egress[0]: null read as {}, as the API server stores it",
                "warning: NetworkPolicy z/null-label: spec.podSelector.matchLabels[a]: null read as \"\", as the API "
                        + "server stores it");
    }
}
