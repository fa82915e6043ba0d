package dev.weir.agent;

import com.github.benmanes.caffeine.cache.Interner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A trimmed pod ({@link ObjectTrimmer#pod}) in about a tenth of its room, for the Pod informer's cache
 * ({@link CompactPodStore}). A trimmed fabric8 Pod still costs ~3.1 KB: seven model objects, each with its own empty
 * {@code additionalProperties} map, the label map, a string object per field. Here a pod is one object with the
 * fields the translators read: its uid, resourceVersion and creation time as numbers when they are in the API server's
 * canonical form, its labels and container ports as shared values (the replicas of one workload carry the same ones),
 * node, phase, namespace and label strings interned. {@link #pod(String)} builds the trimmed Pod back.
 *
 * <p>Lossless or not at all: {@link #of} returns null for a pod this form cannot hold exactly (the caller keeps the
 * trimmed Pod itself then): it checks its own work by building the pod back and comparing it with the input. So a
 * malformed or unusual pod (a null item in a list, a non-canonical uid, a field this form does not know) costs what it
 * costs today and translates as it does today. The name is not stored: it is the store's key after the namespace.
 */
final class CompactPod {

    /** Shared values: label sets and container port lists by content, held while a pod holds them. */
    private static final Interner<Object> SHARED = Interner.newWeakInterner();

    private final String namespace;
    private final String apiVersion;
    /** uid as a UUID's two halves. */
    private final long uidHigh;
    private final long uidLow;
    private final long resourceVersion;
    /** creationTimestamp in epoch seconds; {@link Long#MIN_VALUE}: none. */
    private final long created;
    private final Labels labels;
    private final Ports containers;
    private final Ports initContainers;
    private final String nodeName;
    private final Boolean hostNetwork;
    private final String phase;
    private final String podIP;
    /** {@code status.podIPs}' addresses; null: no list. */
    private final String[] podIPs;

    private CompactPod(Pod p) {
        ObjectMeta m = p.getMetadata();
        this.namespace = intern(m.getNamespace());
        this.apiVersion = intern(p.getApiVersion());
        UUID uid = UUID.fromString(m.getUid());
        this.uidHigh = uid.getMostSignificantBits();
        this.uidLow = uid.getLeastSignificantBits();
        this.resourceVersion = Long.parseLong(m.getResourceVersion());
        this.created = m.getCreationTimestamp() == null ? Long.MIN_VALUE
                : Instant.parse(m.getCreationTimestamp()).getEpochSecond();
        this.labels = Labels.of(m.getLabels());
        this.containers = Ports.of(p.getSpec().getContainers());
        this.initContainers = Ports.of(p.getSpec().getInitContainers());
        this.nodeName = intern(p.getSpec().getNodeName());
        this.hostNetwork = p.getSpec().getHostNetwork();
        this.phase = intern(p.getStatus().getPhase());
        this.podIP = p.getStatus().getPodIP();
        List<PodIP> ips = p.getStatus().getPodIPs();
        if (ips == null) {
            this.podIPs = null;
        } else {
            this.podIPs = new String[ips.size()];
            for (int i = 0; i < podIPs.length; i++) {
                String ip = ips.get(i).getIp();
                podIPs[i] = ip != null && ip.equals(podIP) ? podIP : ip;
            }
        }
    }

    /**
     * The compact form of {@code trimmed} (a pod as {@link ObjectTrimmer#pod} returns it) stored under fabric8's key
     * {@code key}, or null when this form cannot hold it exactly.
     */
    static CompactPod of(String key, Pod trimmed) {
        if (!fits(key, trimmed)) {
            return null;
        }
        try {
            CompactPod c = new CompactPod(trimmed);
            return trimmed.equals(c.pod(key)) ? c : null;
        } catch (RuntimeException notCanonical) { // a uid, resourceVersion or time outside the canonical forms
            return null;
        }
    }

    private static boolean fits(String key, Pod p) {
        ObjectMeta m = p.getMetadata();
        return m != null && p.getSpec() != null && p.getStatus() != null && m.getNamespace() != null
                && !m.getNamespace().isEmpty() && m.getName() != null && key.equals(m.getNamespace() + "/" + m.getName())
                && m.getUid() != null && m.getResourceVersion() != null;
    }

    /** The trimmed Pod again, equal to the one this was made of; {@code key} is the store's key of the pod. */
    Pod pod(String key) {
        Pod shell = new Pod();
        shell.setMetadata(new ObjectMeta());
        shell.setSpec(new PodSpec());
        shell.setStatus(new PodStatus());
        Pod out = ObjectTrimmer.pod(shell); // the trimmed shape, every field empty
        out.setApiVersion(apiVersion);
        ObjectMeta m = out.getMetadata();
        m.setNamespace(namespace);
        m.setName(key.substring(namespace.length() + 1));
        m.setUid(new UUID(uidHigh, uidLow).toString());
        m.setResourceVersion(Long.toString(resourceVersion));
        if (created != Long.MIN_VALUE) {
            m.setCreationTimestamp(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(created)));
        }
        m.setLabels(labels == null ? null : labels.map());
        out.getSpec().setContainers(containers == null ? null : containers.containers());
        out.getSpec().setInitContainers(initContainers == null ? null : initContainers.containers());
        out.getSpec().setNodeName(nodeName);
        out.getSpec().setHostNetwork(hostNetwork);
        out.getStatus().setPhase(phase);
        out.getStatus().setPodIP(podIP);
        if (podIPs == null) {
            out.getStatus().setPodIPs(null);
        } else {
            List<PodIP> ips = new ArrayList<>(podIPs.length);
            for (String ip : podIPs) {
                ips.add(new PodIP(ip));
            }
            out.getStatus().setPodIPs(ips);
        }
        return out;
    }

    /** The pod's resourceVersion, for callers that need only that (fabric8's store reads it on every update). */
    long resourceVersion() {
        return resourceVersion;
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }

    /** Labels in their order (diagnostics name them in it), keys and values interned; a null value stays null. */
    private static final class Labels {
        private final String[] keysAndValues;
        private final int hash;

        private Labels(String[] keysAndValues) {
            this.keysAndValues = keysAndValues;
            this.hash = Arrays.hashCode(keysAndValues);
        }

        static Labels of(Map<String, String> labels) {
            if (labels == null) {
                return null;
            }
            String[] kv = new String[labels.size() * 2];
            int i = 0;
            for (Map.Entry<String, String> e : labels.entrySet()) {
                kv[i++] = intern(e.getKey());
                kv[i++] = intern(e.getValue());
            }
            return (Labels) SHARED.intern(new Labels(kv));
        }

        Map<String, String> map() {
            Map<String, String> out = new LinkedHashMap<>(keysAndValues.length);
            for (int i = 0; i < keysAndValues.length; i += 2) {
                out.put(keysAndValues[i], keysAndValues[i + 1]);
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Labels l && hash == l.hash && Arrays.equals(keysAndValues, l.keysAndValues);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * Each container's ports (a trimmed container keeps nothing else): per container null (no container), or its port
     * list, which may itself be null.
     */
    private record Ports(List<List<Port>> containers0) {

        static Ports of(List<Container> containers) {
            if (containers == null) {
                return null;
            }
            List<List<Port>> out = new ArrayList<>(containers.size());
            for (Container c : containers) {
                if (c == null) {
                    out.add(null);
                } else if (c.getPorts() == null) {
                    out.add(NO_LIST);
                } else {
                    List<Port> ports = new ArrayList<>(c.getPorts().size());
                    for (ContainerPort p : c.getPorts()) {
                        ports.add(p == null ? null : new Port(intern(p.getName()), p.getContainerPort(),
                                intern(p.getProtocol()), p.getHostIP(), p.getHostPort()));
                    }
                    out.add(ports);
                }
            }
            return (Ports) SHARED.intern(new Ports(out));
        }

        /** Stands for a container whose {@code ports} is null. */
        private static final List<Port> NO_LIST = List.of(new Port("\0null", null, null, null, null));

        List<Container> containers() {
            List<Container> out = new ArrayList<>(containers0.size());
            for (List<Port> ports : containers0) {
                if (ports == null) {
                    out.add(null);
                    continue;
                }
                Container c = ObjectTrimmer.container(new Container());
                if (ports == NO_LIST) {
                    c.setPorts(null);
                } else {
                    List<ContainerPort> list = new ArrayList<>(ports.size());
                    for (Port p : ports) {
                        list.add(p == null ? null : p.fabric8());
                    }
                    c.setPorts(list);
                }
                out.add(c);
            }
            return out;
        }
    }

    private record Port(String name, Integer containerPort, String protocol, String hostIP, Integer hostPort) {

        ContainerPort fabric8() {
            ContainerPort p = new ContainerPort();
            p.setName(name);
            p.setContainerPort(containerPort);
            p.setProtocol(protocol);
            p.setHostIP(hostIP);
            p.setHostPort(hostPort);
            return p;
        }
    }
}
