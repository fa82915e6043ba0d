package dev.weir.lab.api;

import dev.weir.k8s.ServiceTranslator;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API objects that describe a lab exactly as its network namespaces are: Nodes (InternalIP, podCIDR), Namespaces
 * (with {@code kubernetes.io/metadata.name}, as a real API server adds), and Running Pods with their IP, node and
 * container ports; a hostNetwork pod has {@code spec.hostNetwork: true} and its node's address as its IP, as the
 * kubelet reports it. Pure builders plus one {@link #create} that writes them.
 */
public final class ClusterObjects {

    public static final String NAME_LABEL = "kubernetes.io/metadata.name";
    public static final String IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53";

    private ClusterObjects() {
    }

    public static void create(KubernetesClient client, LabPlan plan, Map<String, Map<String, String>> nsLabels) {
        create(client, plan, nsLabels, List.of());
    }

    /** The same, and the declared Services (the lab's kube-proxy allocates what they leave out). */
    public static void create(KubernetesClient client, LabPlan plan, Map<String, Map<String, String>> nsLabels,
            List<LabSpec.ServiceSpec> services) {
        nodes(plan).forEach(n -> client.nodes().resource(n).create());
        namespaces(nsLabels).forEach(n -> client.namespaces().resource(n).create());
        pods(plan).forEach(p -> client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create());
        services.forEach(s -> client.services().inNamespace(s.namespace()).resource(service(s)).create());
    }

    /** A declared Service as the API object. */
    public static Service service(LabSpec.ServiceSpec s) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace(s.namespace()).withName(s.name())
                .endMetadata();
        var spec = b.withNewSpec().withType(s.type()).withSelector(new LinkedHashMap<>(new TreeMap<>(s.selector())));
        if (s.clusterIp() != null && !s.clusterIp().isEmpty()) {
            spec.withClusterIP(s.clusterIp()).withClusterIPs(s.clusterIp());
        }
        if (s.type().equals("NodePort")) {
            spec.withExternalTrafficPolicy(s.externalTrafficPolicy());
        }
        for (LabSpec.ServicePortSpec p : s.ports()) {
            ServicePortBuilder pb = new ServicePortBuilder().withName(p.name()).withPort(p.port())
                    .withProtocol(p.protocol().name());
            if (p.targetPort() != null) {
                pb.withTargetPort(p.targetPort().matches("\\d+") ? new IntOrString(Integer.parseInt(p.targetPort()))
                        : new IntOrString(p.targetPort()));
            }
            if (p.nodePort() != 0) {
                pb.withNodePort(p.nodePort());
            }
            spec.addToPorts(pb.build());
        }
        return spec.endSpec().build();
    }

    /** Nodes with an {@code InternalIP} and a pod CIDR per family of the lab, primary first, as a dual-stack node has. */
    public static List<Node> nodes(LabPlan plan) {
        return plan.nodes().stream().map(n -> {
            List<String> cidrs = plan.podCidrs(n);
            NodeBuilder b = new NodeBuilder()
                    .withNewMetadata().withName(n.name())
                    .addToLabels("kubernetes.io/hostname", n.name()).addToLabels("kubernetes.io/os", "linux")
                    // what flanneld annotates: explain learns from it which address the node masquerades to
                    .addToAnnotations(ServiceTranslator.FLANNEL_BACKEND, plan.backend().lower())
                    .addToAnnotations("flannel.alpha.coreos.com/public-ip", n.underlayIp())
                    .endMetadata()
                    .withNewSpec().withPodCIDR(cidrs.get(0)).withPodCIDRs(cidrs).endSpec();
            var status = b.withNewStatus();
            plan.underlayAddresses(n).forEach(a -> status.addNewAddress().withType("InternalIP").withAddress(a)
                    .endAddress());
            return status.addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
        }).toList();
    }

    public static List<Namespace> namespaces(Map<String, Map<String, String>> nsLabels) {
        return new TreeMap<>(nsLabels).entrySet().stream().map(e -> {
            Map<String, String> labels = new LinkedHashMap<>(new TreeMap<>(e.getValue()));
            labels.put(NAME_LABEL, e.getKey());
            return new NamespaceBuilder().withNewMetadata().withName(e.getKey()).withLabels(labels).endMetadata()
                    .withNewStatus().withPhase("Active").endStatus().build();
        }).toList();
    }

    public static List<Pod> pods(LabPlan plan) {
        return plan.pods().stream().map(p -> pod(plan, p)).toList();
    }

    static Pod pod(LabPlan plan, LabPlan.PodPlan p) {
        ContainerBuilder c = new ContainerBuilder().withName("serve").withImage(IMAGE);
        for (ContainerPort port : p.ports()) {
            c.addToPorts(new ContainerPortBuilder().withName(port.name()).withContainerPort(port.port())
                    .withProtocol(port.protocol().name()).build());
        }
        return new PodBuilder()
                .withNewMetadata().withNamespace(p.namespace()).withName(p.name())
                .withLabels(new LinkedHashMap<>(new TreeMap<>(p.labels())))
                .addToAnnotations("weir.dev/lab-netns", p.netns()).endMetadata()
                .withNewSpec().withNodeName(p.node()).withHostNetwork(p.hostNetwork() ? true : null)
                .withContainers(c.build()).endSpec()
                // status.podIPs: one per family, primary first, status.podIP the first (as the kubelet writes them)
                .withNewStatus().withPhase("Running").withPodIP(plan.addresses(p).get(0))
                .withPodIPs(plan.addresses(p).stream().map(PodIP::new).toList())
                .withHostIP(plan.underlayAddresses(plan.node(p.node())).get(0)).endStatus()
                .build();
    }
}
