package dev.weir.lab.spec;

import dev.weir.model.ContainerPort;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code weir lab up -f cluster.yaml}: Namespace and Pod manifests (multi-document YAML or a {@code List}) become a
 * {@link LabSpec}. Pods keep their labels and container ports; {@code spec.nodeName} ending in {@code n<i>}
 * ({@code wl-n2}, {@code n2}) pins a pod to node i, anything else lets the planner spread it. Namespaces used by pods
 * but not declared are added without labels. {@code spec.hostNetwork: true} makes a pod live in its node's network
 * namespace with its node's address. ClusterIP and NodePort Services are kept (the lab programs kube-proxy's rules
 * for them). Other kinds are ignored (apply policies with kubectl after {@code up}).
 */
public final class ManifestSpecLoader {

    private static final Pattern NODE = Pattern.compile("(?:^|-)n(?:ode-?)?(\\d+)$");

    private ManifestSpecLoader() {
    }

    public static LabSpec load(Path file, int nodes, Topology topology, Backend backend) throws IOException {
        return load(file, nodes, topology, backend, note -> {
        });
    }

    /**
     * As {@link #load(Path, int, Topology, Backend)}, and {@code status.podIP} is honoured when it lies in a node's pod
     * CIDR ({@code 10.244.<i>.2-254} for i = 1..nodes): the pod gets that IP on that node, even if
     * {@code spec.nodeName} names another node (policies see IPs, not nodes). Every such decision, and every IP that
     * fits no node (the pod then gets the planner's next free address), is reported through {@code notes}.
     */
    public static LabSpec load(Path file, int nodes, Topology topology, Backend backend,
            java.util.function.Consumer<String> notes) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            collect(new KubernetesSerialization().unmarshal(in), objects);
        }
        Map<String, LabSpec.NamespaceSpec> namespaces = new LinkedHashMap<>();
        List<LabSpec.PodSpec> pods = new ArrayList<>();
        java.util.Set<String> ips = new java.util.HashSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof Namespace n) {
                namespaces.put(n.getMetadata().getName(), new LabSpec.NamespaceSpec(n.getMetadata().getName(),
                        labels(o)));
            }
        }
        for (HasMetadata o : objects) {
            if (o instanceof Pod p) {
                String ns = p.getMetadata().getNamespace() == null ? "default" : p.getMetadata().getNamespace();
                namespaces.putIfAbsent(ns, new LabSpec.NamespaceSpec(ns, Map.of()));
                String key = ns + "/" + p.getMetadata().getName();
                int node = node(p);
                boolean hostNetwork = p.getSpec() != null && Boolean.TRUE.equals(p.getSpec().getHostNetwork());
                String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
                String wanted = null;
                if (ip != null && hostNetwork) {
                    notes.accept("pod " + key + " is hostNetwork: its IP is its node's, not " + ip);
                } else if (ip != null) {
                    var fit = dev.weir.lab.topology.AddressPlanner.nodeAndHost(ip, nodes);
                    if (fit.isEmpty()) {
                        notes.accept("pod " + key + ": its IP " + ip + " is in no node's pod CIDR (10.244.1-" + nodes
                                + ".0/24); it gets the next free address");
                    } else if (!ips.add(ip)) {
                        notes.accept("pod " + key + ": its IP " + ip + " is taken; it gets the next free address");
                    } else {
                        if (node != 0 && node != fit.get()[0]) {
                            notes.accept("pod " + key + ": " + ip + " is in node " + fit.get()[0]
                                    + "'s pod CIDR, not in that of " + p.getSpec().getNodeName()
                                    + "; placed on node " + fit.get()[0] + " to keep the IP");
                        }
                        node = fit.get()[0];
                        wanted = ip;
                    }
                }
                if (node > nodes) {
                    notes.accept("pod " + key + ": node " + node + " does not exist in a lab of " + nodes
                            + "; the planner places it");
                    node = 0;
                }
                pods.add(new LabSpec.PodSpec(ns, p.getMetadata().getName(), labels(p), ports(p), node, wanted,
                        hostNetwork));
            }
        }
        List<LabSpec.ServiceSpec> services = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof io.fabric8.kubernetes.api.model.Service svc) {
                String ns = svc.getMetadata().getNamespace() == null ? "default" : svc.getMetadata().getNamespace();
                namespaces.putIfAbsent(ns, new LabSpec.NamespaceSpec(ns, Map.of()));
                services.add(service(ns, svc));
            }
        }
        return new LabSpec(nodes, topology, backend, List.copyOf(namespaces.values()), pods, IpStack.IPV4, services);
    }

    /** A Service of the file as the lab declares it; its cluster IP and node ports are kept when given. */
    static LabSpec.ServiceSpec service(String ns, io.fabric8.kubernetes.api.model.Service svc) {
        var spec = svc.getSpec();
        List<LabSpec.ServicePortSpec> ports = new ArrayList<>();
        for (var p : spec.getPorts() == null ? List.<io.fabric8.kubernetes.api.model.ServicePort>of()
                : spec.getPorts()) {
            var t = p.getTargetPort();
            String target = t == null ? null : t.getStrVal() != null ? t.getStrVal() : String.valueOf(t.getIntVal());
            ports.add(new LabSpec.ServicePortSpec(p.getName(), p.getPort(),
                    p.getProtocol() == null ? Protocol.TCP : Protocol.parse(p.getProtocol()), target,
                    p.getNodePort() == null ? 0 : p.getNodePort()));
        }
        return new LabSpec.ServiceSpec(ns, svc.getMetadata().getName(), spec.getType(), spec.getClusterIP(),
                spec.getSelector() == null ? Map.of() : spec.getSelector(), ports, spec.getExternalTrafficPolicy());
    }

    private static void collect(Object parsed, List<HasMetadata> out) {
        if (parsed instanceof KubernetesResourceList<?> list) {
            list.getItems().forEach(i -> collect(i, out));
        } else if (parsed instanceof List<?> list) {
            list.forEach(i -> collect(i, out));
        } else if (parsed instanceof HasMetadata h) {
            out.add(h);
        }
    }

    private static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    }

    private static List<ContainerPort> ports(Pod p) {
        List<ContainerPort> out = new ArrayList<>();
        if (p.getSpec() == null || p.getSpec().getContainers() == null) {
            return out;
        }
        for (Container c : p.getSpec().getContainers()) {
            if (c.getPorts() == null) {
                continue;
            }
            for (io.fabric8.kubernetes.api.model.ContainerPort cp : c.getPorts()) {
                Protocol protocol = cp.getProtocol() == null ? Protocol.TCP : Protocol.parse(cp.getProtocol());
                out.add(new ContainerPort(cp.getName(), cp.getContainerPort(), protocol));
            }
        }
        return out;
    }

    private static int node(Pod p) {
        String name = p.getSpec() == null ? null : p.getSpec().getNodeName();
        if (name == null) {
            return 0;
        }
        Matcher m = NODE.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
