package dev.weir.k8s;

import dev.weir.model.IpAddress;
import dev.weir.model.Protocol;
import dev.weir.model.Service;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fabric8 Services → {@link Service} records, for {@code weir explain --to svc/NS/NAME} and the lab's kube-proxy
 * rules. Only what routing needs: selector-based {@code ClusterIP} and {@code NodePort} Services with an IPv4 or IPv6
 * cluster IP; anything else (headless, {@code ExternalName}, {@code LoadBalancer}, no selector) is skipped with the
 * reason, since policies never name a Service and its traffic is not modelled.
 */
public final class ServiceTranslator {

    private ServiceTranslator() {
    }

    /** The Service, or why it is not modelled. */
    public static Translation translate(io.fabric8.kubernetes.api.model.Service in) {
        String ns = in.getMetadata().getNamespace() == null ? ModelTranslator.DEFAULT_NAMESPACE
                : in.getMetadata().getNamespace();
        String key = ns + "/" + in.getMetadata().getName();
        ServiceSpec spec = in.getSpec();
        if (spec == null) {
            return skipped(key, "no spec");
        }
        String type = spec.getType() == null ? "ClusterIP" : spec.getType();
        if (!type.equals("ClusterIP") && !type.equals("NodePort")) {
            return skipped(key, "type " + type + " (only ClusterIP and NodePort are modelled)");
        }
        if (spec.getSelector() == null || spec.getSelector().isEmpty()) {
            return skipped(key, "no selector");
        }
        String ip = spec.getClusterIP();
        if (ip == null || ip.isEmpty() || ip.equals("None") || !IpAddress.isValid(ip)) {
            return skipped(key, "no cluster IP" + (ip == null ? "" : " (" + ip + ")"));
        }
        List<Service.Port> ports = new ArrayList<>();
        for (ServicePort p : spec.getPorts() == null ? List.<ServicePort>of() : spec.getPorts()) {
            Protocol protocol = p.getProtocol() == null ? Protocol.TCP : Protocol.parse(p.getProtocol());
            IntOrString target = p.getTargetPort();
            Service.TargetPort t = target == null ? new Service.TargetPort.Number(p.getPort())
                    : target.getStrVal() != null && !target.getStrVal().matches("\\d+")
                            ? new Service.TargetPort.Named(target.getStrVal())
                            : new Service.TargetPort.Number(target.getIntVal() != null ? target.getIntVal()
                                    : Integer.parseInt(target.getStrVal()));
            int nodePort = type.equals("NodePort") && p.getNodePort() != null ? p.getNodePort() : 0;
            ports.add(new Service.Port(p.getName(), p.getPort(), protocol, t, nodePort));
        }
        if (ports.isEmpty()) {
            return skipped(key, "no port");
        }
        Service.TrafficPolicy policy = "Local".equals(spec.getExternalTrafficPolicy())
                ? Service.TrafficPolicy.LOCAL : Service.TrafficPolicy.CLUSTER;
        return new Translation(Optional.of(new Service(ns, in.getMetadata().getName(),
                type.equals("NodePort") ? Service.Type.NODE_PORT : Service.Type.CLUSTER_IP, IpAddress.parse(ip),
                Map.copyOf(spec.getSelector()), ports, policy)), Optional.empty());
    }

    private static Translation skipped(String key, String why) {
        return new Translation(Optional.empty(), Optional.of("Service " + key + " is not modelled: " + why));
    }

    /** A Service, or the note saying why it was skipped. */
    public record Translation(Optional<Service> service, Optional<String> skipped) {
    }

    /** flannel's annotation naming a node's backend, which decides which address its masquerade leaves from. */
    public static final String FLANNEL_BACKEND = "flannel.alpha.coreos.com/backend-type";

    /**
     * The source address a packet this node masquerades towards another node leaves with: the address of the
     * interface the route to the other node's pods uses. flannel's VXLAN puts the network address of the node's pod
     * CIDR on {@code flannel.1} ({@code 10.244.1.0}), so with {@value #FLANNEL_BACKEND} {@code vxlan} and a
     * {@code spec.podCIDR} that is it; otherwise (host-gw, or nothing known) the node's first InternalIP.
     */
    public static Optional<IpAddress> masqueradeAddress(io.fabric8.kubernetes.api.model.Node node) {
        String backend = ModelTranslator.annotation(node.getMetadata(), FLANNEL_BACKEND);
        String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        if ("vxlan".equals(backend) && cidr != null && cidr.contains("/")) {
            String[] parts = cidr.split("/");
            if (IpAddress.isValid(parts[0])) {
                return Optional.of(IpAddress.parse(parts[0]).masked(Integer.parseInt(parts[1])));
            }
        }
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        return node.getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()) && a.getAddress() != null
                        && IpAddress.isValid(a.getAddress()))
                .map(a -> IpAddress.parse(a.getAddress())).findFirst();
    }
}
