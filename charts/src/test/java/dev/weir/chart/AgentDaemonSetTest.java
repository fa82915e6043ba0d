package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent DaemonSet as `helm template` renders it with the default values and with values/custom.yaml. */
class AgentDaemonSetTest {

    private static Manifests defaults;
    private static Manifests custom;

    @BeforeAll
    static void render() {
        defaults = WeirChart.render();
        custom = WeirChart.render(WeirChart.valuesFile("custom.yaml"));
    }

    private static DaemonSet daemonSet(Manifests manifests) {
        return manifests.one(DaemonSet.class);
    }

    private static PodSpec pod(Manifests manifests) {
        return daemonSet(manifests).getSpec().getTemplate().getSpec();
    }

    private static Container agent(Manifests manifests) {
        assertThat(pod(manifests).getContainers()).extracting(Container::getName).containsExactly("agent");
        return pod(manifests).getContainers().get(0);
    }

    @Test
    void runsTheAgentSubcommandOfTheImageEntrypoint() {
        assertThat(agent(defaults).getCommand()).as("the image's ENTRYPOINT runs weir.jar").isEmpty();
        assertThat(agent(defaults).getArgs()).containsExactly("agent");
    }

    @Test
    void livesInTheNodeNetworkNamespaceAndStillResolvesClusterNames() {
        assertThat(pod(defaults).getHostNetwork()).isTrue();
        assertThat(pod(defaults).getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    }

    @Test
    void nodeNameComesFromTheDownwardApi() {
        EnvVar nodeName = agent(defaults).getEnv().stream()
                .filter(env -> env.getName().equals("NODE_NAME")).findFirst().orElseThrow();

        assertThat(nodeName.getValue()).isNull();
        assertThat(nodeName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    }

    @Test
    void settingsComeFromTheReleaseConfigMap() {
        var configMap = defaults.one(ConfigMap.class);

        assertThat(agent(defaults).getEnvFrom()).singleElement()
                .satisfies(source -> assertThat(source.getConfigMapRef().getName())
                        .isEqualTo(configMap.getMetadata().getName()));
    }

    @Test
    void hasOnlyNetAdminAndNetRawAndIsNotPrivileged() {
        var security = agent(defaults).getSecurityContext();

        assertThat(security.getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getPrivileged()).isFalse();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getRunAsUser()).as("iptables needs uid 0").isZero();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod(defaults).getHostPID()).isNull();
        assertThat(pod(defaults).getHostIPC()).isNull();
    }

    @Test
    void readOnlyRootFilesystemCanBeSwitchedOff() {
        assertThat(agent(custom).getSecurityContext().getReadOnlyRootFilesystem()).isFalse();
        assertThat(agent(custom).getSecurityContext().getCapabilities().getAdd())
                .containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    }

    @Test
    void mountsTheSharedXtablesLockTheKernelModulesReadOnlyAndAWritableTmp() {
        Map<String, Volume> volumes = pod(defaults).getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, Function.identity()));
        Map<String, VolumeMount> mounts = agent(defaults).getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getName, Function.identity()));

        assertThat(volumes).containsOnlyKeys("xtables-lock", "lib-modules", "tmp", "cni-cache");
        assertThat(volumes.get("xtables-lock").getHostPath().getPath()).isEqualTo("/run/xtables.lock");
        assertThat(volumes.get("xtables-lock").getHostPath().getType()).isEqualTo("FileOrCreate");
        assertThat(volumes.get("lib-modules").getHostPath().getPath()).isEqualTo("/lib/modules");
        assertThat(volumes.get("tmp").getEmptyDir()).isNotNull();

        assertThat(mounts).containsOnlyKeys("xtables-lock", "lib-modules", "tmp", "cni-cache");
        assertThat(mounts.get("xtables-lock").getMountPath()).isEqualTo("/run/xtables.lock");
        assertThat(mounts.get("xtables-lock").getReadOnly()).isNotEqualTo(Boolean.TRUE);
        assertThat(mounts.get("lib-modules").getMountPath()).isEqualTo("/lib/modules");
        assertThat(mounts.get("lib-modules").getReadOnly()).isTrue();
        assertThat(mounts.get("tmp").getMountPath()).isEqualTo("/tmp");
    }

    @Test
    void mountsTheNodesCniCacheReadOnlyWhereTheAgentLooksForIt() {
        Volume volume = pod(defaults).getVolumes().stream().filter(v -> v.getName().equals("cni-cache")).findFirst()
                .orElseThrow();
        VolumeMount mount = agent(defaults).getVolumeMounts().stream().filter(m -> m.getName().equals("cni-cache"))
                .findFirst().orElseThrow();
        String dir = defaults.one(ConfigMap.class).getData().get("WEIR_CNI_CACHE_DIR");

        assertThat(volume.getHostPath().getPath()).isEqualTo("/var/lib/cni/results").isEqualTo(dir);
        assertThat(volume.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(mount.getMountPath()).isEqualTo(dir);
        assertThat(mount.getReadOnly()).isTrue();
    }

    @Test
    void aMovedCniCacheIsMountedAtItsPathAndNoneWithAntiSpoofingOff() {
        Manifests moved = WeirChart.render(Map.of("agent.cniCacheDir", "/run/containerd/cni/results"));
        assertThat(pod(moved).getVolumes()).filteredOn(v -> v.getName().equals("cni-cache")).singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/run/containerd/cni/results"));
        assertThat(agent(moved).getVolumeMounts()).filteredOn(m -> m.getName().equals("cni-cache")).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/run/containerd/cni/results"));

        assertThat(pod(custom).getVolumes()).extracting(Volume::getName).doesNotContain("cni-cache");
        assertThat(agent(custom).getVolumeMounts()).extracting(VolumeMount::getName).doesNotContain("cni-cache");
    }

    @Test
    void toleratesEveryTaintByDefaultSoItRunsOnControlPlaneNodesToo() {
        assertThat(pod(defaults).getTolerations())
                .containsExactly(new TolerationBuilder().withOperator("Exists").build());
    }

    @Test
    void tolerationsNodeSelectorAndPodMetadataFollowTheValues() {
        Toleration edge = new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("edge")
                .withEffect("NoSchedule").build();

        assertThat(pod(custom).getTolerations()).containsExactly(edge);
        // Helm merges maps with the defaults: the linux selector stays unless set to null.
        assertThat(pod(custom).getNodeSelector()).containsOnly(Map.entry("kubernetes.io/os", "linux"),
                Map.entry("node-role.example.com/worker", "true"));
        assertThat(daemonSet(custom).getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "net");
        assertThat(daemonSet(custom).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("example.com/owner", "net-team");
        assertThat(pod(custom).getTerminationGracePeriodSeconds()).isEqualTo(10L);
    }

    @Test
    void isSystemNodeCriticalByDefault() {
        assertThat(pod(defaults).getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod(custom).getPriorityClassName()).isEqualTo("weir-critical");
    }

    @Test
    void requestsAndLimitsCpuAndMemory() {
        var resources = agent(defaults).getResources();
        assertThat(resources.getRequests()).containsOnlyKeys("cpu", "memory");
        assertThat(resources.getLimits()).containsOnlyKeys("cpu", "memory");

        var overridden = agent(custom).getResources();
        assertThat(overridden.getRequests()).containsEntry("cpu", new Quantity("50m"))
                .containsEntry("memory", new Quantity("200Mi"));
        assertThat(overridden.getLimits()).containsEntry("cpu", new Quantity("500m"))
                .containsEntry("memory", new Quantity("400Mi"));
    }

    @Test
    void probesCheckHealthzAndReadyzOnTheHttpPort() {
        assertProbes(agent(defaults), 9099);
    }

    @Test
    void probesAndPortFollowAChangedHttpPort() {
        assertProbes(agent(custom), 9199);
    }

    private static void assertProbes(Container agent, int port) {
        assertThat(agent.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(port);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        Probe liveness = agent.getLivenessProbe();
        Probe readiness = agent.getReadinessProbe();
        assertThat(liveness.getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(liveness.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(readiness.getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(readiness.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(liveness.getPeriodSeconds()).isPositive();
        assertThat(readiness.getPeriodSeconds()).isPositive();
    }

    @Test
    void rollsOutOneNodeAtATimeByDefault() {
        var strategy = daemonSet(defaults).getSpec().getUpdateStrategy();

        assertThat(strategy.getType()).isEqualTo("RollingUpdate");
        assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(daemonSet(custom).getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal())
                .isEqualTo("25%");
    }

    @Test
    void selectorMatchesThePodTemplate() {
        var spec = daemonSet(defaults).getSpec();

        assertThat(spec.getTemplate().getMetadata().getLabels()).containsAllEntriesOf(spec.getSelector().getMatchLabels());
        assertThat(spec.getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "agent");
    }

    @Test
    void selectorIsPinnedBecauseADaemonSetSelectorCannotChangeInAnUpgrade() {
        // Changing these labels makes every `helm upgrade` from an older chart fail with "field is immutable".
        assertThat(daemonSet(defaults).getSpec().getSelector().getMatchLabels()).containsOnly(
                Map.entry("app.kubernetes.io/name", "weir"),
                Map.entry("app.kubernetes.io/instance", WeirChart.RELEASE),
                Map.entry("app.kubernetes.io/component", "agent"));
        assertThat(daemonSet(defaults).getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();
    }

    @Test
    void usesTheReleaseServiceAccount() {
        assertThat(pod(defaults).getServiceAccountName())
                .isEqualTo(defaults.one(ServiceAccount.class, "agent").getMetadata().getName());
        assertThat(pod(custom).getServiceAccountName()).isEqualTo("weir-agent");
        assertThat(custom.one(ServiceAccount.class, "agent").getMetadata().getName()).isEqualTo("weir-agent");
    }

    @Test
    void imageAndPullSettingsFollowTheValues() {
        assertThat(agent(custom).getImage()).isEqualTo("registry.example.com/mirror/weir:0.1.0-rc1");
        assertThat(agent(custom).getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod(custom).getImagePullSecrets()).extracting(s -> s.getName()).containsExactly("regcred");
        assertThat(daemonSet(custom).getMetadata().getName()).isEqualTo("netpol");
    }

    @Test
    void aChangedSettingChangesThePodTemplateSoTheAgentsRestart() {
        String before = daemonSet(defaults).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
        String after = daemonSet(WeirChart.render(Map.of("agent.logLevel", "debug")))
                .getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");

        assertThat(before).isNotBlank();
        assertThat(after).isNotBlank().isNotEqualTo(before);
    }
}
