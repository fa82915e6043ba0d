package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's crds/ and files/ are the crds module's generated YAML, copied by this module's build (see
 * charts/pom.xml), never edited by hand: upstream's CRDs in crds/ (Helm installs them only where absent), weir's own
 * ({@code *.weir.dev.yaml}) in files/, rendered by a template so that the release owns them.
 */
class ChartCrdsTest {

    private static final String REGENERATE =
            "charts/weir/crds/ and charts/weir/files/ must equal the top-level YAML of crds/; run "
                    + "`./mvnw -pl charts generate-test-resources` (it deletes stale copies and copies the current "
                    + "files) and commit charts/weir/crds and charts/weir/files";
    private static final Predicate<String> OWN = name -> name.endsWith(".weir.dev.yaml");

    private static Path crdsModule() {
        return Path.of(System.getProperty("weir.crds.dir", "../crds")).toAbsolutePath().normalize();
    }

    /** File name → content of the .yaml/.yml files directly in dir (the CRD manifests, not pom.xml or src/). */
    private static Map<String, String> manifests(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            var result = new TreeMap<String, String>();
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).toList()) {
                result.put(file.getFileName().toString(), Files.readString(file));
            }
            return result;
        }
    }

    private static Map<String, String> only(Map<String, String> files, Predicate<String> name) {
        return files.entrySet().stream().filter(e -> name.test(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private static CustomResourceDefinition generatedCrd(String group) throws IOException {
        return manifests(crdsModule()).values().stream()
                .flatMap(yaml -> Manifests.parse(yaml).all(CustomResourceDefinition.class).stream())
                .filter(crd -> crd.getSpec().getGroup().equals(group)).findFirst().orElseThrow();
    }

    @Test
    void chartCrdsAndFilesAreExactlyTheCrdsModuleFiles() throws IOException {
        var generated = manifests(crdsModule());

        assertThat(manifests(WeirChart.dir().resolve("crds"))).as(REGENERATE)
                .isEqualTo(only(generated, OWN.negate())).isNotEmpty();
        assertThat(manifests(WeirChart.dir().resolve("files"))).as(REGENERATE)
                .isEqualTo(only(generated, OWN)).isNotEmpty();
    }

    @Test
    void helmInstallsUpstreamsCrdsFromCrdsAndOnlyThose() throws IOException {
        String shown = NativeHelm.call("show crds", () -> new Helm(WeirChart.dir()).show().crds().call());
        var crdNames = Manifests.parse(shown).all(CustomResourceDefinition.class).stream()
                .map(crd -> crd.getMetadata().getName()).collect(Collectors.toSet());

        var expected = only(manifests(crdsModule()), OWN.negate()).values().stream()
                .flatMap(yaml -> Manifests.parse(yaml).all(CustomResourceDefinition.class).stream())
                .map(crd -> crd.getMetadata().getName()).collect(Collectors.toSet());
        assertThat(crdNames).isEqualTo(expected).contains("clusternetworkpolicies.policy.networking.k8s.io");
    }

    @Test
    void theReleaseRendersWeirsOwnCrdAsGeneratedWithTheChartsLabels() throws IOException {
        CustomResourceDefinition rendered = WeirChart.render().one(CustomResourceDefinition.class);
        CustomResourceDefinition generated = generatedCrd("weir.dev");

        assertThat(rendered.getMetadata().getName()).isEqualTo("nodepolicyreports.weir.dev");
        assertThat(rendered.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", WeirChart.RELEASE)
                .containsEntry("app.kubernetes.io/part-of", "weir");
        assertThat(rendered.getSpec()).as("the template changes nothing but the labels").isEqualTo(generated.getSpec());
    }

    @Test
    void withoutTheReportThereIsNoReportCrd() {
        assertThat(WeirChart.render(Map.of("agent.report.enabled", false)).all(CustomResourceDefinition.class))
                .isEmpty();
    }

    @Test
    void theRbacNamesResourcesThatTheChartsCrdsDefine() throws IOException {
        var crds = manifests(WeirChart.dir().resolve("crds")).values().stream()
                .flatMap(yaml -> Manifests.parse(yaml).all(CustomResourceDefinition.class).stream()).toList();
        var agent = WeirChart.render().one(ClusterRole.class, "agent").getRules();
        var controller = WeirChart.render().one(ClusterRole.class, "controller").getRules();

        var cnp = crds.stream().filter(crd -> crd.getSpec().getGroup().equals("policy.networking.k8s.io")
                && crd.getSpec().getNames().getPlural().equals("clusternetworkpolicies")).findFirst();
        assertThat(cnp).as("the chart ships the ClusterNetworkPolicy CRD the agent watches").isPresent();
        assertThat(cnp.get().getSpec().getScope()).isEqualTo("Cluster");
        String plural = cnp.get().getSpec().getNames().getPlural();
        assertThat(cnp.get().getSpec().getVersions()).as("the controller's RBAC grants clusternetworkpolicies/status")
                .anySatisfy(version -> assertThat(version.getSubresources().getStatus()).isNotNull());
        for (var rules : List.of(agent, controller)) {
            assertThat(rules).anySatisfy(rule -> {
                assertThat(rule.getApiGroups()).containsExactly(cnp.get().getSpec().getGroup());
                assertThat(rule.getResources()).containsExactly(plural);
            });
        }
        assertThat(controller).anySatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly(cnp.get().getSpec().getGroup());
            assertThat(rule.getResources()).containsExactly(plural + "/status");
        });

        var report = WeirChart.render().one(CustomResourceDefinition.class);
        assertThat(report.getSpec().getVersions()).as("the agent's RBAC grants nodepolicyreports/status")
                .allSatisfy(version -> assertThat(version.getSubresources().getStatus()).isNotNull());
        assertThat(agent).anySatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly(report.getSpec().getGroup());
            assertThat(rule.getResources()).containsExactly(report.getSpec().getNames().getPlural() + "/status");
        });
    }

    @Test
    void aHeartbeatShorterThanTheIntervalIsRefusedBeforeAnAgentWouldBe() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeirChart.render(Map.of(
                "agent.report.interval", "2m", "agent.report.heartbeatInterval", "90s")))
                .hasMessageContaining("agent.report.heartbeatInterval (90s) must not be shorter than "
                        + "agent.report.interval (2m)");
        assertThat(WeirChart.render(Map.of("agent.report.interval", "1m", "agent.report.heartbeatInterval", "60s"))
                .all(CustomResourceDefinition.class)).hasSize(1);
    }
}
