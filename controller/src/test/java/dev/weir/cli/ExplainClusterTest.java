package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code weir explain --cluster} against fabric8's mock API server holding the objects of an example directory says
 * exactly what {@code weir explain DIR} says of the files.
 */
class ExplainClusterTest {

    @TempDir
    Path dir;

    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/cluster.yaml"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("network policies, text", "", List.of()),
                Arguments.of("network policies, json", "", List.of("-o", "json")),
                Arguments.of("network policies, one pair", "",
                        List.of("--from", "prod/other", "--to", "dev/myapp-1", "--port", "80")),
                Arguments.of("cluster network policies, text", "cluster-network-policy", List.of()),
                Arguments.of("cluster network policies, json on one port", "cluster-network-policy",
                        List.of("-o", "json", "--ports", "80")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theLiveClusterExplainsAsItsManifests(String name, String sub, List<String> flags) throws Exception {
        Path manifests = examples().resolve(sub);
        try (MockApi api = new MockApi(dir)) {
            try (Stream<Path> files = Files.list(manifests)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    api.create(Files.readString(f));
                }
            }
            List<String> fromFiles = new ArrayList<>(List.of("explain", manifests.toString()));
            fromFiles.addAll(flags);
            List<String> live = new ArrayList<>(List.of("explain", "--cluster", "--kubeconfig", api.kubeconfig()));
            live.addAll(flags);

            CliRun expected = CliRun.weir(fromFiles.toArray(String[]::new));
            CliRun actual = CliRun.weir(live.toArray(String[]::new));

            assertThat(expected.exit()).as(expected.err()).isZero();
            assertThat(actual.exit()).as(actual.err()).isZero();
            assertThat(actual.out()).isNotBlank().isEqualTo(expected.out());
        }
    }

    @Test
    void clusterAndFilesDoNotMix() throws Exception {
        CliRun both = CliRun.weir("explain", "--cluster", examples().toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--cluster reads the cluster; leave out FILE");
        CliRun stray = CliRun.weir("explain", examples().toString(), "--context", "prod");
        assertThat(stray.exit()).isEqualTo(2);
        assertThat(stray.err()).contains("--kubeconfig and --context go with --cluster");
    }
}
