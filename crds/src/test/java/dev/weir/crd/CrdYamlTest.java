package dev.weir.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRD committed at the top of {@code crds/} (what {@code kubectl apply -f crds/} installs) must be exactly what
 * {@link CrdGeneration} makes of the Java types; {@link UpstreamConstraintsTest} holds it to upstream's constraints.
 */
class CrdYamlTest {

    static final Path COMMITTED = Path.of(ClusterNetworkPolicy.CRD_NAME + ".yaml");

    @Test
    void committedCrdEqualsGeneratedCrd() throws IOException {
        String generated = CrdGeneration.generate();
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
}
