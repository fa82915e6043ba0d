package dev.weir.conformance;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster of the upstream NetworkPolicy e2e suite ({@code test/e2e/network/netpol}): namespaces x, y, z labelled
 * {@code ns: <name>}, pods a, b, c in each labelled {@code pod: <name>}, every pod serving 80 and 81 on TCP, UDP and
 * SCTP with container ports named {@code serve-80-tcp}, {@code serve-81-udp}, ... A scenario uses a subset of the pods
 * ({@code x/a}, {@code y/b}, ...), as upstream does since it stopped creating all nine for every test.
 *
 * <p>Addresses are deterministic here ({@code 10.244.<1+ns>.<10+pod>}: x/a = 10.244.1.10, y/b = 10.244.2.11); the lab
 * gives its own and passes them to IP-dependent steps through {@link Scenario.Addresses}.
 */
public final class NetpolCluster {

    public static final List<String> NAMESPACES = List.of("x", "y", "z");
    public static final List<String> POD_NAMES = List.of("a", "b", "c");
    public static final List<Integer> PORTS = List.of(80, 81);
    public static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");

    private NetpolCluster() {
    }

    /** Every pod key of the full model, x/a … z/c. */
    public static List<String> allPods() {
        List<String> out = new ArrayList<>();
        NAMESPACES.forEach(ns -> POD_NAMES.forEach(p -> out.add(ns + "/" + p)));
        return out;
    }

    /** The address this catalogue's own runner gives a pod. */
    public static String address(String podKey) {
        String[] parts = podKey.split("/");
        int ns = NAMESPACES.indexOf(parts[0]);
        int pod = POD_NAMES.indexOf(parts[1]);
        if (ns < 0 || pod < 0) {
            throw new IllegalArgumentException("not a pod of the netpol model: " + podKey);
        }
        return "10.244." + (ns + 1) + "." + (10 + pod);
    }

    public static Namespace namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("ns", name, "kubernetes.io/metadata.name", name)).endMetadata().build();
    }

    /** A pod of the model, as the lab and this runner create it (Running, with its address and node). */
    public static Pod pod(String podKey, String ip, String node) {
        String[] parts = podKey.split("/");
        List<ContainerPort> ports = new ArrayList<>();
        for (int port : PORTS) {
            for (String protocol : PROTOCOLS) {
                ports.add(new ContainerPortBuilder().withName(portName(port, protocol)).withContainerPort(port)
                        .withProtocol(protocol).build());
            }
        }
        return new PodBuilder().withNewMetadata().withName(parts[1]).withNamespace(parts[0])
                .withLabels(Map.of("pod", parts[1])).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("cont-" + parts[1]).withImage("agnhost")
                .withPorts(ports).endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().endStatus()
                .build();
    }

    /** {@code serve-80-tcp}, as upstream names the container ports. */
    public static String portName(int port, String protocol) {
        return "serve-" + port + "-" + protocol.toLowerCase(java.util.Locale.ROOT);
    }
}
