package dev.weir.k8s;

import dev.weir.model.ContainerPort;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import dev.weir.model.PodPhase;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** fabric8 {@code Pod} → {@link Endpoint}. */
final class PodTranslator {

    private PodTranslator() {
    }

    static Translated<Endpoint> translate(Pod pod) {
        String namespace = ModelTranslator.namespaceOf(pod.getMetadata());
        String name = pod.getMetadata() == null ? null : pod.getMetadata().getName();
        Findings findings = new Findings(ObjectKey.pod(namespace, name == null ? "<unnamed>" : name));
        findings.checkMetadata(name, namespace, false);
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<IpAddress> ips = addresses(status, findings);
        List<ContainerPort> ports = new ArrayList<>();
        containerPorts(spec.getInitContainers(), "spec.initContainers", ports, findings);
        containerPorts(spec.getContainers(), "spec.containers", ports, findings);
        Map<String, String> labels = ModelTranslator.labelsOf(pod.getMetadata());
        // A manifest usually carries no status; such a pod is about to run, so it counts as Running.
        PodPhase phase = status.getPhase() == null ? PodPhase.RUNNING : PodPhase.parse(status.getPhase());
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        Instant created = creationTime(pod.getMetadata() == null ? null
                : pod.getMetadata().getCreationTimestamp(), findings);
        // labels, container ports and creation time shared among the pods that carry equal ones (SharedValues)
        return findings.result(() -> new Endpoint(namespace, name, SharedValues.of(Map.copyOf(labels)), ips,
                spec.getNodeName(), hostNetwork, phase, SharedValues.of(List.copyOf(ports)), SharedValues.of(created)));
    }

    /**
     * {@code metadata.creationTimestamp}, which decides which of two live pods claiming one address holds it
     * (docs/model.md, "One address, one pod"): RFC 3339 as the API server writes it ({@code 2026-05-01T10:00:00Z}),
     * an offset and fractional seconds allowed. Missing (a hand-written manifest) or unreadable, it is unknown (null),
     * which counts as older than any known time. An unreadable one is a warning, not a rejection: the API server sets
     * the field itself and ignores what a manifest says, so it never refuses a pod for it.
     */
    private static Instant creationTime(String text, Findings findings) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            findings.warn("metadata.creationTimestamp", "not an RFC 3339 time \"" + text + "\"; read as unknown, "
                    + "which loses to any pod with a known time that claims the same address");
            return null;
        }
    }

    /** {@code status.podIPs} when present (dual-stack), else {@code status.podIP}. */
    private static List<IpAddress> addresses(PodStatus status, Findings findings) {
        List<IpAddress> out = new ArrayList<>();
        List<PodIP> podIps = status.getPodIPs() == null ? List.of() : status.getPodIPs();
        for (int i = 0; i < podIps.size(); i++) {
            PodIP ip = podIps.get(i);
            address(ip == null ? null : ip.getIp(), "status.podIPs[" + i + "].ip", out, findings);
        }
        if (out.isEmpty() && status.getPodIP() != null && !status.getPodIP().isEmpty()) {
            address(status.getPodIP(), "status.podIP", out, findings);
        }
        return out;
    }

    private static void address(String text, String field, List<IpAddress> out, Findings findings) {
        if (text == null || text.isEmpty()) {
            return;
        }
        findings.attempt(field, () -> IpAddress.parse(text)).ifPresent(out::add);
    }

    private static void containerPorts(List<Container> containers, String field, List<ContainerPort> out,
            Findings findings) {
        if (containers == null) {
            return;
        }
        for (int c = 0; c < containers.size(); c++) {
            List<io.fabric8.kubernetes.api.model.ContainerPort> ports =
                    containers.get(c) == null ? null : containers.get(c).getPorts();
            if (ports == null) {
                continue;
            }
            for (int p = 0; p < ports.size(); p++) {
                // a null item is the API server's zero value: containerPort 0, which it rejects
                containerPort(ports.get(p) == null ? new io.fabric8.kubernetes.api.model.ContainerPort() : ports.get(p),
                        field + "[" + c + "].ports[" + p + "]", findings).ifPresent(out::add);
            }
        }
    }

    private static java.util.Optional<ContainerPort> containerPort(io.fabric8.kubernetes.api.model.ContainerPort p,
            String field, Findings findings) {
        Integer number = p.getContainerPort();
        if (number == null || number < 1 || number > 65535) {
            findings.error(field + ".containerPort", "must be between 1 and 65535, inclusive (got " + number + ")");
            return java.util.Optional.empty();
        }
        String name = p.getName() == null || p.getName().isEmpty() ? null : p.getName();
        if (name != null) {
            String problem = ApiValidation.portNameProblem(name);
            if (problem != null) {
                findings.error(field + ".name", problem);
                return java.util.Optional.empty();
            }
        }
        java.util.Optional<Protocol> protocol =
                ModelTranslator.protocol(p.getProtocol(), field + ".protocol", findings);
        return protocol.map(proto -> new ContainerPort(name, number, proto));
    }
}
