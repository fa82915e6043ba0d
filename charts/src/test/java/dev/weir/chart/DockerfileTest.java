package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker on the development machines, so the root Dockerfile is not built here. These checks hold it to
 * the files the build really produces and to the agent contract, so that it does not rot unnoticed.
 */
class DockerfileTest {

    private static final Path ROOT = WeirChart.repoRoot();
    private static final Pattern COPY_FROM_BUILD = Pattern.compile("(?m)^COPY --from=build /src/(\\S+) (\\S+)$");

    private static String dockerfile() throws IOException {
        return Files.readString(ROOT.resolve("Dockerfile"));
    }

    private static List<String> dockerignore() throws IOException {
        return Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /** Whether .dockerignore keeps a path (relative to the root) out of the build context. */
    private static boolean ignored(String relativePath, List<String> patterns) {
        for (String pattern : patterns) {
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceAll("/$", ""));
            for (Path p = Path.of(relativePath); p != null; p = p.getParent()) {
                if (matcher.matches(p) || (pattern.startsWith("**/") && matcher.matches(Path.of("x").resolve(p)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> reactorModules() throws IOException {
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        return module.results().map(r -> r.group(1)).toList();
    }

    @Test
    void buildStageInputsExistAndAreInTheBuildContext() throws IOException {
        var ignore = dockerignore();
        var needed = new java.util.ArrayList<>(List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml",
                "controller/src/main/java"));
        // Maven reads every module of the reactor, even with -pl controller -am.
        reactorModules().forEach(module -> needed.add(module + "/pom.xml"));

        assertThat(reactorModules()).contains("controller");
        assertThat(needed).allSatisfy(path -> {
            assertThat(ROOT.resolve(path)).exists();
            assertThat(ignored(path, ignore)).as(".dockerignore excludes %s", path).isFalse();
        });
        assertThat(ignored("controller/target/weir.jar", ignore)).as("stale local builds stay out").isTrue();
    }

    @Test
    void copiesWhatTheControllerBuildProduces() throws IOException {
        String controllerPom = Files.readString(ROOT.resolve("controller/pom.xml"));
        Map<String, String> copies = COPY_FROM_BUILD.matcher(dockerfile()).results()
                .collect(java.util.stream.Collectors.toMap(r -> r.group(1), r -> r.group(2)));

        assertThat(copies).containsOnly(Map.entry("controller/target/weir.jar", "/opt/weir/weir.jar"),
                Map.entry("controller/target/lib/", "/opt/weir/lib/"));
        assertThat(controllerPom).as("controller/target/weir.jar").contains("<finalName>weir</finalName>");
        assertThat(controllerPom).as("controller/target/lib/")
                .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>")
                .contains("<classpathPrefix>lib/</classpathPrefix>");
    }

    @Test
    void builtJarFindsItsLibrariesNextToIt() throws IOException {
        Path jar = ROOT.resolve("controller/target/weir.jar");
        assumeThat(jar).as("controller not packaged in this build").exists();

        try (var file = new JarFile(jar.toFile())) {
            var manifest = file.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Main-Class")).isEqualTo("dev.weir.cli.Main");
            assertThat(manifest.getValue("Class-Path").split(" ")).allSatisfy(entry -> {
                assertThat(entry).startsWith("lib/");
                assertThat(ROOT.resolve("controller/target").resolve(entry)).exists();
            });
        }
    }

    @Test
    void runsTheAgentAsTheContractSays() throws IOException {
        String dockerfile = dockerfile();

        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/weir/weir.jar\"]")
                .contains("CMD [\"agent\"]");
        assertThat(dockerfile).containsPattern("install .*\\biptables\\b.*\\bipset\\b.*\\bconntrack\\b")
                .as("ip route and ip link find the pods' interfaces").containsPattern("install .*\\biproute2\\b");
    }

    @Test
    void baseImagesComeFromDebianOnly() throws IOException {
        List<String> froms = dockerfile().lines().filter(line -> line.startsWith("FROM ")).toList();

        assertThat(froms).hasSize(2).allSatisfy(from -> assertThat(from).startsWith("FROM debian:"));
    }

    @Test
    void chartRunsTheJarWhereTheImagePutsIt() throws IOException {
        var cleanup = WeirChart.render(Map.of("cleanup.enabled", true)).one(DaemonSet.class)
                .getSpec().getTemplate().getSpec().getInitContainers().get(0);

        assertThat(String.join(" ", cleanup.getArgs())).contains("java -jar /opt/weir/weir.jar cleanup");
        assertThat(dockerfile()).contains("/opt/weir/weir.jar");
    }
}
