package dev.weir.lab.image;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the chart runs the agent container, as {@code helm template} renders it: what a container runtime would be told.
 * The lab runs the image from this ({@link ContainerScript}), so a change to the chart (a capability, a mount, an
 * environment variable, a JVM option) reaches the lab's image agents without being restated here.
 *
 * @param args         the container's args (its command is the image's entrypoint when {@code command} is empty)
 * @param command      the container's command, empty for the image's entrypoint
 * @param env          literal environment: the ConfigMap's data through {@code envFrom}, then {@code env} values
 * @param nodeNameEnv  variables the downward API sets to {@code spec.nodeName}
 * @param hostNetwork  whether the pod lives in the node's network namespace
 * @param capabilities what the container keeps: {@code add} minus nothing when {@code drop} is ALL (upper case, no
 *                     CAP_ prefix)
 * @param readOnlyRoot {@code securityContext.readOnlyRootFilesystem}
 * @param noNewPrivs   {@code allowPrivilegeEscalation: false}
 * @param runAsUser    the uid, 0 for root
 * @param mounts       the container's volume mounts with their volumes, in order
 * @param httpPort     the container port named {@code http} (the agent's /readyz)
 * @param memoryLimit  {@code resources.limits.memory} in bytes, 0 without
 * @param cpuLimit     {@code resources.limits.cpu} in whole CPUs rounded up, 0 without
 */
public record ChartAgentSpec(List<String> args, List<String> command, Map<String, String> env,
                             Set<String> nodeNameEnv, boolean hostNetwork, Set<String> capabilities,
                             boolean readOnlyRoot, boolean noNewPrivs, long runAsUser, List<Mount> mounts,
                             int httpPort, long memoryLimit, int cpuLimit) {

    public ChartAgentSpec {
        args = List.copyOf(args);
        command = List.copyOf(command);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        nodeNameEnv = java.util.Collections.unmodifiableSet(new TreeSet<>(nodeNameEnv));
        capabilities = java.util.Collections.unmodifiableSet(new TreeSet<>(capabilities));
        mounts = List.copyOf(mounts);
    }

    /** A volume mount and what backs it. */
    public record Mount(String name, String path, boolean readOnly, Source source) {
        public Mount {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(source, "source");
        }
    }

    /** The volume kinds the agent's DaemonSet uses. */
    public sealed interface Source {
    }

    /** {@code hostPath}: {@code type} as the chart gives it (File, FileOrCreate, Directory, DirectoryOrCreate, ""). */
    public record HostPath(String path, String type) implements Source {
        public boolean isFile() {
            return type.startsWith("File");
        }

        public boolean create() {
            return type.endsWith("OrCreate");
        }
    }

    /** {@code emptyDir} with its size limit in bytes (0: none). */
    public record EmptyDir(long sizeLimit) implements Source {
    }

    /**
     * Reads the agent's container (the first of the DaemonSet's pod template) and the ConfigMap its {@code envFrom}
     * names. Fails on what the lab cannot reproduce (another volume kind, an env source other than the downward API's
     * node name or a literal, a ConfigMap the chart did not render), naming it.
     */
    public static ChartAgentSpec of(DaemonSet agents, Map<String, ConfigMap> configMaps) {
        PodSpec pod = agents.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : nullToEmpty(c.getEnvFrom())) {
            if (from.getConfigMapRef() == null) {
                throw new IllegalArgumentException("envFrom other than a ConfigMap: " + from);
            }
            ConfigMap cm = configMaps.get(from.getConfigMapRef().getName());
            if (cm == null) {
                throw new IllegalArgumentException("envFrom names ConfigMap " + from.getConfigMapRef().getName()
                        + ", which the chart did not render");
            }
            env.putAll(cm.getData() == null ? Map.of() : cm.getData());
        }
        Set<String> nodeNameEnv = new TreeSet<>();
        for (EnvVar e : nullToEmpty(c.getEnv())) {
            if (e.getValueFrom() != null) {
                if (e.getValueFrom().getFieldRef() == null
                        || !"spec.nodeName".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                    throw new IllegalArgumentException("env " + e.getName() + " comes from " + e.getValueFrom()
                            + "; the lab sets only spec.nodeName");
                }
                nodeNameEnv.add(e.getName());
                env.remove(e.getName());
            } else {
                env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
            }
        }
        SecurityContext sc = c.getSecurityContext();
        Set<String> caps = new TreeSet<>();
        if (sc != null && sc.getCapabilities() != null) {
            List<String> drop = nullToEmpty(sc.getCapabilities().getDrop());
            if (!drop.stream().anyMatch("ALL"::equalsIgnoreCase)) {
                throw new IllegalArgumentException("capabilities do not drop ALL (" + drop + "): the lab keeps only "
                        + "what the chart adds");
            }
            nullToEmpty(sc.getCapabilities().getAdd()).forEach(a -> caps.add(a.toUpperCase(Locale.ROOT)
                    .replaceFirst("^CAP_", "")));
        }
        Map<String, Volume> volumes = new LinkedHashMap<>();
        nullToEmpty(pod.getVolumes()).forEach(v -> volumes.put(v.getName(), v));
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount m : nullToEmpty(c.getVolumeMounts())) {
            Volume v = volumes.get(m.getName());
            if (v == null) {
                throw new IllegalArgumentException("volume mount " + m.getName() + " has no volume");
            }
            Source source;
            if (v.getHostPath() != null) {
                source = new HostPath(v.getHostPath().getPath(),
                        v.getHostPath().getType() == null ? "" : v.getHostPath().getType());
            } else if (v.getEmptyDir() != null) {
                Quantity limit = v.getEmptyDir().getSizeLimit();
                source = new EmptyDir(limit == null ? 0 : Quantity.getAmountInBytes(limit).longValue());
            } else {
                throw new IllegalArgumentException("volume " + v.getName() + " is neither hostPath nor emptyDir");
            }
            mounts.add(new Mount(m.getName(), m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly()), source));
        }
        int httpPort = nullToEmpty(c.getPorts()).stream().filter(p -> "http".equals(p.getName()))
                .mapToInt(p -> p.getContainerPort()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the agent container has no port named http"));
        Map<String, Quantity> limits = c.getResources() == null || c.getResources().getLimits() == null ? Map.of()
                : c.getResources().getLimits();
        long memory = limits.containsKey("memory") ? Quantity.getAmountInBytes(limits.get("memory")).longValue() : 0;
        int cpus = limits.containsKey("cpu")
                ? Quantity.getAmountInBytes(limits.get("cpu")).setScale(0, java.math.RoundingMode.CEILING)
                        .max(BigDecimal.ONE).intValue()
                : 0;
        return new ChartAgentSpec(nullToEmpty(c.getArgs()), nullToEmpty(c.getCommand()), env, nodeNameEnv,
                Boolean.TRUE.equals(pod.getHostNetwork()), caps,
                sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()),
                sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()),
                sc == null || sc.getRunAsUser() == null ? 0 : sc.getRunAsUser(), mounts, httpPort, memory, cpus);
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
