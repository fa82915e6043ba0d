package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cleanup.enabled=true: the release stops enforcing and removes weir's rules from every node, before uninstall. */
class CleanupModeTest {

    private static final Map<String, Object> CLEANUP = Map.of("cleanup.enabled", true);

    private static PodSpec cleanupPod(Manifests manifests) {
        return manifests.one(DaemonSet.class).getSpec().getTemplate().getSpec();
    }

    @Test
    void replacesTheAgentDaemonSetWithTheCleanupDaemonSet() {
        var manifests = WeirChart.render(CLEANUP);
        var daemonSet = manifests.one(DaemonSet.class);

        assertThat(daemonSet.getMetadata().getName()).isEqualTo("weir-cleanup");
        assertThat(daemonSet.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "cleanup");
        assertThat(daemonSet.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(daemonSet.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void cleanupIsNotAHelmHookSoTemplateShowsItAndUninstallRemovesIt() {
        var annotations = WeirChart.render(CLEANUP).one(DaemonSet.class).getMetadata().getAnnotations();

        assertThat(annotations == null ? Map.<String, String>of() : annotations).doesNotContainKey("helm.sh/hook");
    }

    @Test
    void runsWeirCleanupOnceAfterTheAgentGracePeriodThenIdles() {
        var pod = cleanupPod(WeirChart.render(Map.of("cleanup.enabled", true, "cleanup.delaySeconds", 45)));

        assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
            assertThat(String.join(" ", init.getCommand()) + " " + String.join(" ", init.getArgs()))
                    .contains("sleep 45").contains("java -jar /opt/weir/weir.jar cleanup");
        });
        assertThat(pod.getContainers()).singleElement().satisfies(idle -> {
            assertThat(String.join(" ", idle.getCommand())).contains("sleep").doesNotContain("weir");
            assertThat(idle.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        });
    }

    @Test
    void cleansWithTheIptablesBackendTheAgentUsed() {
        var init = cleanupPod(WeirChart.render(Map.of("cleanup.enabled", true, "agent.iptablesBackend", "legacy")))
                .getInitContainers().get(0);

        // `weir cleanup` takes the backend as a flag only, not from WEIR_IPTABLES_BACKEND.
        assertThat(String.join(" ", init.getArgs())).endsWith("weir.jar cleanup --iptables-backend legacy");
    }

    @Test
    void cleansTheNodeNetworkNamespaceWithTheAgentsCapabilitiesAndLock() {
        var pod = cleanupPod(WeirChart.render(CLEANUP));
        Container cleanup = pod.getInitContainers().get(0);

        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getTolerations()).extracting(t -> t.getOperator()).containsExactly("Exists");
        assertThat(cleanup.getSecurityContext().getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
        assertThat(cleanup.getSecurityContext().getPrivileged()).isFalse();
        assertThat(cleanup.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/run/xtables.lock");
        assertThat(cleanup.getEnvFrom()).singleElement()
                .satisfies(source -> assertThat(source.getConfigMapRef().getName()).isEqualTo("weir"));
        assertThat(pod.getAutomountServiceAccountToken()).as("cleanup needs no API access").isFalse();
    }

    @Test
    void refusesACleanupDelayThatAStoppingAgentCouldOutlast() {
        assertThatThrownBy(() -> WeirChart.render(Map.of("cleanup.enabled", true, "cleanup.delaySeconds", 30,
                "terminationGracePeriodSeconds", 30)))
                .hasMessageContaining("cleanup.delaySeconds (30) must be greater than terminationGracePeriodSeconds (30)");
        assertThat(WeirChart.render(Map.of("cleanup.enabled", true, "cleanup.delaySeconds", 31,
                "terminationGracePeriodSeconds", 30)).all(DaemonSet.class)).hasSize(1);
    }

    @Test
    void metricsServiceIsDroppedWhileNoAgentRuns() {
        var manifests = WeirChart.render(Map.of("cleanup.enabled", true, "serviceMonitor.enabled", true));

        assertThat(manifests.all(Service.class)).isEmpty();
        assertThat(manifests.generic("ServiceMonitor")).isEmpty();
    }
}
