package dev.weir.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRD committed at the top of {@code crds/} (what {@code kubectl apply -f crds/} installs) must be exactly what
 * the build generates from the Java types, and must say what the upstream API says.
 */
class CrdYamlTest {

    static final String GENERATED = "META-INF/fabric8/" + ClusterNetworkPolicy.CRD_NAME + "-v1.yml";
    static final Path COMMITTED = Path.of(ClusterNetworkPolicy.CRD_NAME + ".yaml");

    static String generated() throws IOException {
        try (InputStream in = CrdYamlTest.class.getClassLoader().getResourceAsStream(GENERATED)) {
            assertThat(in).as("crd-generator output %s on the test classpath", GENERATED).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void committedCrdEqualsGeneratedCrd() throws IOException {
        String generated = generated();
        if (Boolean.getBoolean("weir.crd.update")) {
            Files.writeString(COMMITTED, generated);
        }
        assertThat(COMMITTED).as("committed CRD %s", COMMITTED.toAbsolutePath()).exists();
        assertThat(Files.readString(COMMITTED))
                .as("crds/%s is stale: the Java types in crds/src changed. Regenerate it with "
                        + "`./mvnw -B -ntp -pl crds test -Dweir.crd.update=true` and commit it", COMMITTED)
                .isEqualTo(generated);
    }

    @Test
    void onlyManifestsSitAtTheTopOfTheCrdsDirectory() throws IOException {
        // kubectl apply -f crds/ reads every .yaml/.yml/.json there (not recursively); each must be a CRD
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")))
                    .containsExactly(COMMITTED.getFileName().toString());
        }
    }

    @Test
    void crdIsClusterScopedV1alpha2WithStatusSubresource() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(generated(), CustomResourceDefinition.class);
        assertThat(crd.getMetadata().getName()).isEqualTo("clusternetworkpolicies.policy.networking.k8s.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("ClusterNetworkPolicy");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("cnp");
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        assertThat(v.getName()).isEqualTo("v1alpha2");
        assertThat(v.getServed()).isTrue();
        assertThat(v.getStorage()).isTrue();
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getAdditionalPrinterColumns()).extracting(c -> c.getName())
                .contains("Tier", "Priority");
    }

    @Test
    void schemaCarriesTheUpstreamLimits() throws IOException {
        JSONSchemaProps root = Serialization.unmarshal(generated(), CustomResourceDefinition.class)
                .getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        assertThat(root.getRequired()).containsExactly("spec");
        JSONSchemaProps spec = root.getProperties().get("spec");
        assertThat(spec.getRequired()).containsExactlyInAnyOrder("tier", "priority", "subject");
        assertThat(spec.getProperties().get("tier").getEnum()).extracting(Object::toString)
                .containsExactly("\"Admin\"", "\"Baseline\"");
        JSONSchemaProps priority = spec.getProperties().get("priority");
        assertThat(priority.getMinimum()).isEqualTo(0.0);
        assertThat(priority.getMaximum()).isEqualTo(1000.0);
        JSONSchemaProps egress = spec.getProperties().get("egress");
        assertThat(egress.getMaxItems()).isEqualTo(25L);
        JSONSchemaProps egressRule = egress.getItems().getSchema();
        assertThat(egressRule.getRequired()).containsExactlyInAnyOrder("action", "to");
        assertThat(egressRule.getProperties().get("action").getEnum()).hasSize(3);
        assertThat(egressRule.getProperties().get("name").getMaxLength()).isEqualTo(100L);
        assertThat(egressRule.getXKubernetesValidations()).singleElement()
                .satisfies(r -> assertThat(r.getRule()).contains("destinationNamedPort"));
        JSONSchemaProps peer = egressRule.getProperties().get("to").getItems().getSchema();
        assertThat(peer.getProperties()).containsOnlyKeys("namespaces", "pods", "nodes", "networks", "domainNames");
        JSONSchemaProps networks = peer.getProperties().get("networks");
        assertThat(networks.getMaxItems()).isEqualTo(25L);
        assertThat(networks.getItems().getSchema().getMaxLength()).isEqualTo(43L);
        JSONSchemaProps ingressPeer = spec.getProperties().get("ingress").getItems().getSchema()
                .getProperties().get("from").getItems().getSchema();
        assertThat(ingressPeer.getProperties()).containsOnlyKeys("namespaces", "pods");
        JSONSchemaProps range = egressRule.getProperties().get("protocols").getItems().getSchema()
                .getProperties().get("tcp").getProperties().get("destinationPort").getProperties().get("range");
        assertThat(range.getRequired()).containsExactlyInAnyOrder("start", "end");
        assertThat(range.getXKubernetesValidations()).singleElement()
                .satisfies(r -> assertThat(r.getRule()).isEqualTo("self.start < self.end"));
    }
}
