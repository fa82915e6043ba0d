package dev.weir.lab.kubeproxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the API server's allocators would have done for a Service that lacks them (the lab's API server is a mock
 * that stores objects as given): a cluster IP from {@value #SERVICE_CIDR} and, for a NodePort Service, a node port
 * from 30000-32767 per port, each the lowest one free. Pure: returns the Services it changed.
 */
public final class ServiceAllocator {

    /** kube-apiserver's usual {@code --service-cluster-ip-range} (kubeadm's default). */
    public static final String SERVICE_CIDR = "10.96.0.0/16";

    private ServiceAllocator() {
    }

    /** The Services of {@code all} that needed an address or a node port, with them filled in. */
    public static List<Service> allocate(Collection<Service> all) {
        Set<String> ips = new HashSet<>();
        Set<Integer> nodePorts = new HashSet<>();
        for (Service s : all) {
            if (s.getSpec() == null) {
                continue;
            }
            if (s.getSpec().getClusterIP() != null) {
                ips.add(s.getSpec().getClusterIP());
            }
            for (ServicePort p : ports(s)) {
                if (p.getNodePort() != null) {
                    nodePorts.add(p.getNodePort());
                }
            }
        }
        List<Service> changed = new ArrayList<>();
        for (Service s : all) {
            if (s.getSpec() == null) {
                continue;
            }
            boolean change = false;
            String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
            if (s.getSpec().getClusterIP() == null || s.getSpec().getClusterIP().isEmpty()) {
                // 10.96.0.1 is the kubernetes Service's, 10.96.0.10 kube-dns's on a kubeadm cluster: start past them
                for (int i = 16; ; i++) {
                    String ip = "10.96." + (i / 256) + "." + (i % 256);
                    if (ips.add(ip)) {
                        s.getSpec().setClusterIP(ip);
                        s.getSpec().setClusterIPs(List.of(ip));
                        break;
                    }
                }
                change = true;
            }
            if (s.getSpec().getType() == null) {
                s.getSpec().setType(type);
                change = true;
            }
            if (type.equals("NodePort")) {
                for (ServicePort p : ports(s)) {
                    if (p.getNodePort() == null || p.getNodePort() == 0) {
                        int n = 30000;
                        while (!nodePorts.add(n)) {
                            n++;
                        }
                        p.setNodePort(n);
                        change = true;
                    }
                }
                if (s.getSpec().getExternalTrafficPolicy() == null) {
                    s.getSpec().setExternalTrafficPolicy("Cluster");
                    change = true;
                }
            }
            if (change) {
                changed.add(s);
            }
        }
        return changed;
    }

    private static List<ServicePort> ports(Service s) {
        return s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
    }
}
