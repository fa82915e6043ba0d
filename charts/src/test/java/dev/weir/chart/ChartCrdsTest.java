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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's crds/ is the crds module's generated YAML, copied by this module's build (see charts/pom.xml), never
 * edited by hand.
 */
class ChartCrdsTest {

    private static final String REGENERATE =
            "charts/weir/crds/ must equal the top-level YAML of crds/; run `./mvnw -pl charts generate-test-resources`"
                    + " (it deletes stale copies and copies the current files) and commit charts/weir/crds";

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

    @Test
    void chartCrdsAreExactlyTheCrdsModuleFiles() throws IOException {
        var generated = manifests(crdsModule());
        var inChart = manifests(WeirChart.dir().resolve("crds"));

        assertThat(inChart.keySet()).as(REGENERATE).containsExactlyElementsOf(generated.keySet());
        generated.forEach((name, content) -> assertThat(inChart.get(name)).as(REGENERATE + " (%s)", name)
                .isEqualTo(content));
    }

    @Test
    void helmLoadsEveryCrdOfTheCrdsModule() throws IOException {
        String shown = NativeHelm.call("show crds", () -> new Helm(WeirChart.dir()).show().crds().call());
        var crdNames = Manifests.parse(shown).all(CustomResourceDefinition.class).stream()
                .map(crd -> crd.getMetadata().getName()).collect(Collectors.toSet());

        var expected = manifests(crdsModule()).values().stream()
                .flatMap(yaml -> Manifests.parse(yaml).all(CustomResourceDefinition.class).stream())
                .map(crd -> crd.getMetadata().getName()).collect(Collectors.toSet());
        assertThat(crdNames).isEqualTo(expected);
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
    }
}
