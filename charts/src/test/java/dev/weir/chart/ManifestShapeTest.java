package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever the values, the chart renders only fields the Kubernetes API knows, in the release namespace. */
class ManifestShapeTest {

    static Stream<Arguments> renders() {
        return Stream.of(
                Arguments.of("defaults", WeirChart.render()),
                Arguments.of("values/custom.yaml", WeirChart.render(WeirChart.valuesFile("custom.yaml"))),
                Arguments.of("cleanup mode", WeirChart.render(Map.of("cleanup.enabled", true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyFieldIsOneTheApiKnows(String name, Manifests manifests) {
        assertThat(manifests.objects()).isNotEmpty().allSatisfy(object -> {
            if (!(object instanceof GenericKubernetesResource)) {
                assertThat(UnknownFields.in(object)).as("unknown fields in %s/%s", object.getKind(),
                        object.getMetadata().getName()).isEmpty();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void namespacedObjectsLiveInTheReleaseNamespace(String name, Manifests manifests) {
        assertThat(manifests.objects()).allSatisfy(object -> {
            if (!object.getKind().startsWith("Cluster") && !(object instanceof CustomResourceDefinition)) {
                assertThat(object.getMetadata().getNamespace()).as(object.getKind()).isEqualTo(WeirChart.NAMESPACE);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyObjectIsLabelledWithTheRelease(String name, Manifests manifests) {
        assertThat(manifests.objects()).extracting(HasMetadata::getMetadata).allSatisfy(meta -> assertThat(
                meta.getLabels()).containsEntry("app.kubernetes.io/instance", WeirChart.RELEASE)
                .containsEntry("app.kubernetes.io/managed-by", "Helm").containsKey("helm.sh/chart"));
    }
}
