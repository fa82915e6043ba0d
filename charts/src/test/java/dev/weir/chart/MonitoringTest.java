package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitoringTest {

    private static Map<String, String> podAnnotations(Manifests manifests) {
        return manifests.one(DaemonSet.class).getSpec().getTemplate().getMetadata().getAnnotations();
    }

    private static Map<String, String> controllerPodAnnotations(Manifests manifests) {
        return manifests.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations();
    }

    private static GenericKubernetesResource monitor(Manifests manifests, String component) {
        var found = manifests.generic("ServiceMonitor").stream()
                .filter(m -> component.equals(m.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void agentPodsCarryPrometheusScrapeAnnotations() {
        assertThat(podAnnotations(WeirChart.render())).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "9099").containsEntry("prometheus.io/path", "/metrics");
    }

    @Test
    void scrapeAnnotationsFollowTheHttpPortAndCanBeSwitchedOff() {
        assertThat(podAnnotations(WeirChart.render(Map.of("agent.httpPort", 9300))))
                .containsEntry("prometheus.io/port", "9300");
        assertThat(podAnnotations(WeirChart.render(Map.of("metrics.podAnnotations", false))))
                .doesNotContainKeys("prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path");
    }

    @Test
    void controllerPodsCarryScrapeAnnotationsForTheirOwnPort() {
        assertThat(controllerPodAnnotations(WeirChart.render())).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "9098").containsEntry("prometheus.io/path", "/metrics");
        assertThat(controllerPodAnnotations(WeirChart.render(Map.of("metrics.podAnnotations", false)))).isNullOrEmpty();
    }

    @Test
    void noServiceMonitorByDefault() {
        var manifests = WeirChart.render();

        assertThat(manifests.generic("ServiceMonitor")).isEmpty();
        assertThat(manifests.all(Service.class)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMonitorScrapesMetricsThroughAHeadlessServiceSelectingTheAgents() {
        var manifests = WeirChart.render(WeirChart.valuesFile("custom.yaml"));
        var daemonSet = manifests.one(DaemonSet.class);
        Service service = manifests.one(Service.class, "agent");
        GenericKubernetesResource monitor = monitor(manifests, "agent");

        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).isEqualTo(daemonSet.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(9199);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });

        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        Map<String, Object> selector = (Map<String, Object>) spec.get("selector");
        var matchLabels = (Map<String, String>) selector.get("matchLabels");
        assertThat(matchLabels).isNotEmpty();
        assertThat(service.getMetadata().getLabels()).as("the ServiceMonitor selects the Service")
                .containsAllEntriesOf(matchLabels);
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
        assertThat(endpoints).singleElement().satisfies(endpoint -> {
            assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics")
                    .containsEntry("interval", "15s").containsEntry("scrapeTimeout", "5s");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void theControllerReplicasAreScrapedThroughTheirOwnHeadlessService() {
        var manifests = WeirChart.render(WeirChart.valuesFile("custom.yaml"));
        var deployment = manifests.one(Deployment.class);
        Service service = manifests.one(Service.class, "controller");
        GenericKubernetesResource monitor = monitor(manifests, "controller");

        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(9299);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        var matchLabels = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(matchLabels);
        assertThat(manifests.one(Service.class, "agent").getMetadata().getLabels())
                .as("the agents' Service is not the controller monitor's").doesNotContainEntry(
                        "app.kubernetes.io/component", "controller");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    }
}
