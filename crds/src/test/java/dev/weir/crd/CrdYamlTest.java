package dev.weir.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.crd.report.NodePolicyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each CRD committed at the top of {@code crds/} (what {@code kubectl apply -f crds/} installs) must be exactly what
 * {@link CrdGeneration} makes of its Java types; {@link UpstreamConstraintsTest} holds the ClusterNetworkPolicy CRD to
 * upstream's constraints, {@link NodePolicyReportCrdTest} weir's own NodePolicyReport CRD to its contract.
 */
class CrdYamlTest {

    static final Path COMMITTED = committed(ClusterNetworkPolicy.CRD_NAME);

    static Path committed(String crdName) {
        return Path.of(crdName + ".yaml");
    }

    static Stream<Arguments> crds() {
        return Stream.of(Arguments.of(ClusterNetworkPolicy.class, ClusterNetworkPolicy.CRD_NAME),
                Arguments.of(NodePolicyReport.class, NodePolicyReport.CRD_NAME));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("crds")
    void committedCrdEqualsGeneratedCrd(Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type,
            String crdName) throws IOException {
        String generated = CrdGeneration.generate(type, crdName);
        Path committed = committed(crdName);
        if (Boolean.getBoolean("weir.crd.update")) {
            Files.writeString(committed, generated);
        }
        assertThat(committed).as("committed CRD %s", committed.toAbsolutePath()).exists();
        assertThat(Files.readString(committed))
                .as("crds/%s is stale: the Java types in crds/src changed. Regenerate it with "
                        + "`./mvnw -B -ntp -pl crds test -Dweir.crd.update=true` and commit it", committed)
                .isEqualTo(generated);
    }

    @Test
    void onlyManifestsSitAtTheTopOfTheCrdsDirectory() throws IOException {
        // kubectl apply -f crds/ reads every .yaml/.yml/.json there (not recursively); each must be a CRD
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")))
                    .containsExactlyInAnyOrder(COMMITTED.getFileName().toString(),
                            committed(NodePolicyReport.CRD_NAME).getFileName().toString());
        }
    }
}
