package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The controller Deployment as `helm template` renders it with the default values and with values/custom.yaml. */
class ControllerDeploymentTest {

    private static Manifests defaults;
    private static Manifests custom;

    @BeforeAll
    static void render() {
        defaults = WeirChart.render();
        custom = WeirChart.render(WeirChart.valuesFile("custom.yaml"));
    }

    private static Deployment deployment(Manifests manifests) {
        return manifests.one(Deployment.class);
    }

    private static PodSpec pod(Manifests manifests) {
        return deployment(manifests).getSpec().getTemplate().getSpec();
    }

    private static Container controller(Manifests manifests) {
        assertThat(pod(manifests).getContainers()).extracting(Container::getName).containsExactly("controller");
        return pod(manifests).getContainers().get(0);
    }

    /** The container's plain environment variables (the downward API ones have no value). */
    private static Map<String, String> env(Manifests manifests) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar e : controller(manifests).getEnv()) {
            out.put(e.getName(), e.getValue() != null ? e.getValue() : "<" + e.getValueFrom().getFieldRef()
                    .getFieldPath() + ">");
        }
        return out;
    }

    @Test
    void runsTwoReplicasOfTheControllerSubcommand() {
        assertThat(deployment(defaults).getSpec().getReplicas()).isEqualTo(2);
        assertThat(controller(defaults).getCommand()).as("the image's ENTRYPOINT runs weir.jar").isEmpty();
        assertThat(controller(defaults).getArgs()).containsExactly("controller");
        assertThat(deployment(defaults).getMetadata().getName()).isEqualTo("weir-controller");
        assertThat(deployment(custom).getMetadata().getName()).isEqualTo("netpol-controller");
        assertThat(deployment(custom).getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void everySettingReachesItsVariableAndThePodNamesItselfThroughTheDownwardApi() {
        assertThat(env(defaults)).containsExactly(
                Map.entry("POD_NAME", "<metadata.name>"),
                Map.entry("POD_NAMESPACE", "<metadata.namespace>"),
                Map.entry("WEIR_LEASE_NAME", "weir-controller"),
                Map.entry("WEIR_LEASE_DURATION", "15s"),
                Map.entry("WEIR_LEASE_RENEW_DEADLINE", "10s"),
                Map.entry("WEIR_LEASE_RETRY_PERIOD", "2s"),
                Map.entry("WEIR_STALE_AFTER", "3m"),
                Map.entry("WEIR_RESYNC_INTERVAL", "5m"),
                Map.entry("WEIR_HTTP_PORT", "9098"),
                Map.entry("WEIR_LOG_FORMAT", "text"),
                Map.entry("WEIR_LOG_LEVEL", "info"),
                Map.entry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"));
        assertThat(env(custom)).containsEntry("WEIR_LEASE_NAME", "netpol-leader")
                .containsEntry("WEIR_LEASE_DURATION", "30s").containsEntry("WEIR_LEASE_RENEW_DEADLINE", "20s")
                .containsEntry("WEIR_LEASE_RETRY_PERIOD", "4s").containsEntry("WEIR_STALE_AFTER", "2m")
                .containsEntry("WEIR_RESYNC_INTERVAL", "10m").containsEntry("WEIR_HTTP_PORT", "9299")
                .containsEntry("WEIR_LOG_FORMAT", "json").containsEntry("WEIR_LOG_LEVEL", "debug")
                .containsEntry("JAVA_TOOL_OPTIONS", "-Xmx200m");
    }

    @Test
    void runsUnprivilegedAsNobodyWithAReadOnlyRoot() {
        var pod = pod(defaults);
        var container = controller(defaults).getSecurityContext();

        assertThat(pod.getHostNetwork()).isNull();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65534L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getPrivileged()).isFalse();
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("tmp");
            assertThat(v.getEmptyDir()).isNotNull();
        });
        assertThat(controller(defaults).getVolumeMounts()).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }

    @Test
    void probesCheckHealthzAndReadyzOnItsOwnHttpPort() {
        for (var c : Map.of(9098, controller(defaults), 9299, controller(custom)).entrySet()) {
            assertThat(c.getValue().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(c.getKey());
            });
            assertThat(c.getValue().getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(c.getValue().getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
            assertThat(c.getValue().getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
            assertThat(c.getValue().getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
    }

    @Test
    void replicasPreferDifferentNodesUnlessTheAffinityIsGiven() {
        var spread = pod(defaults).getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution();
        assertThat(spread).singleElement().satisfies(term -> {
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                    .isEqualTo(deployment(defaults).getSpec().getSelector().getMatchLabels());
        });

        assertThat(pod(custom).getAffinity().getPodAntiAffinity()).isNull();
        assertThat(pod(custom).getAffinity().getNodeAffinity()).isNotNull();
    }

    @Test
    void schedulingResourcesAndPodMetadataFollowTheValues() {
        assertThat(pod(defaults).getPriorityClassName()).isNull();
        assertThat(pod(defaults).getNodeSelector()).containsOnly(Map.entry("kubernetes.io/os", "linux"));
        assertThat(pod(defaults).getTolerations()).isNullOrEmpty();

        assertThat(pod(custom).getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(pod(custom).getNodeSelector()).containsEntry("node-role.kubernetes.io/control-plane", "");
        assertThat(pod(custom).getTolerations()).containsExactly(new TolerationBuilder()
                .withKey("node-role.kubernetes.io/control-plane").withOperator("Exists").withEffect("NoSchedule")
                .build());
        assertThat(deployment(custom).getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "net");
        assertThat(deployment(custom).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("example.com/owner", "net-team");
        assertThat(controller(custom).getResources().getLimits()).containsEntry("memory", new Quantity("256Mi"));
        // the formula of docs/helm.md, "Controller memory", at Kubernetes' limits: 1,003 MiB
        assertThat(controller(defaults).getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
        assertThat(controller(defaults).getResources().getRequests()).containsOnlyKeys("cpu", "memory");
        assertThat(controller(custom).getImage()).isEqualTo("registry.example.com/mirror/weir:0.1.0-rc1");
        assertThat(pod(custom).getImagePullSecrets()).extracting(s -> s.getName()).containsExactly("regcred");
    }

    @Test
    void selectorIsPinnedAndMatchesThePodTemplate() {
        var spec = deployment(defaults).getSpec();

        assertThat(spec.getSelector().getMatchLabels()).containsOnly(
                Map.entry("app.kubernetes.io/name", "weir"),
                Map.entry("app.kubernetes.io/instance", WeirChart.RELEASE),
                Map.entry("app.kubernetes.io/component", "controller"));
        assertThat(spec.getTemplate().getMetadata().getLabels()).containsAllEntriesOf(spec.getSelector().getMatchLabels());
    }

    @Test
    void usesItsOwnServiceAccount() {
        assertThat(pod(defaults).getServiceAccountName()).isEqualTo("weir-controller")
                .isEqualTo(defaults.one(ServiceAccount.class, "controller").getMetadata().getName());
        assertThat(pod(custom).getServiceAccountName()).isEqualTo("weir-controller-sa");
        assertThat(custom.one(ServiceAccount.class, "controller").getMetadata().getAnnotations())
                .containsEntry("example.com/role", "controller");
    }

    @Test
    void disabledOrInCleanupModeThereIsNoController() {
        for (Manifests m : new Manifests[] {WeirChart.render(Map.of("controller.enabled", false)),
            WeirChart.render(Map.of("cleanup.enabled", true))}) {
            assertThat(m.all(Deployment.class)).isEmpty();
            assertThat(m.all(ServiceAccount.class, "controller")).isEmpty();
        }
    }
}
