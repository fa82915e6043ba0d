package dev.weir.service;

import dev.weir.graph.Reachability;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where kube-proxy's iptables rules send a client's packet for a Service port, as pure data: the ready endpoints it may
 * pick (each with equal probability), and for each the source address its node's filter hooks see. This is the one
 * model both {@code weir explain --to svc/NS/NAME} and the lab's kube-proxy rules are built from.
 *
 * <p>What it models (docs/model.md, "Services"): the DNAT happens in nat PREROUTING of the entry node, before weir's
 * hooks in filter FORWARD, so policies see the endpoint and its target port, never the cluster IP or node port. The
 * masquerade happens in nat POSTROUTING, after them: on the entry node the source is still the client's; a packet the
 * entry node forwards to another node arrives there from the address of the entry node's interface towards it
 * ({@code masquerade}: flannel.1's for VXLAN, the node's own for host-gw). Pod clients of a cluster IP are never
 * masqueraded across nodes (kube-proxy marks only sources outside the cluster CIDR); a client the rules send back to
 * itself (hairpin) is masqueraded, after the filter hooks, so its own node judges it as a packet from itself to itself.
 */
public final class ServiceRoutes {

    private ServiceRoutes() {
    }

    /** The routes of one client and entry, or why kube-proxy's rules route none. */
    public record Routing(List<ServiceRoute> routes, Optional<String> dropped) {
        public Routing {
            routes = List.copyOf(routes);
        }
    }

    /** The ready endpoints of a Service port with the number their traffic reaches, in key order. */
    public static List<Backend> backends(Service service, Service.Port port, Collection<Endpoint> pods) {
        List<Backend> out = new ArrayList<>();
        pods.stream().filter(service::selects).sorted(Comparator.comparing(e -> e.key().namespacedName()))
                .forEach(p -> port.targetOn(p).ifPresent(n -> out.add(new Backend(p, n))));
        return out;
    }

    /** An endpoint of a Service port: the pod and the number its traffic reaches. */
    public record Backend(Endpoint pod, int targetPort) {
    }

    /**
     * The routes of a packet from {@code client} (a pod, or with {@link Reachability#outside} an address) to
     * {@code service}'s {@code port} at {@code entry}. {@code masquerade} gives, per node, the source address a packet
     * it masquerades towards another node leaves with; {@code reachability} makes the address of a masqueraded
     * source into an end ({@link Reachability#outside}).
     */
    public static Routing route(Reachability reachability, Service service, Service.Port port, ServiceEntry entry,
            Endpoint client, Collection<Endpoint> pods, Map<String, IpAddress> masquerade) {
        List<Backend> all = backends(service, port, pods);
        if (entry instanceof ServiceEntry.ClusterIp) {
            if (all.isEmpty()) {
                return new Routing(List.of(), Optional.of(service.key() + " has no ready endpoint for port "
                        + port.port() + "/" + port.protocol() + ": kube-proxy rejects the packet"));
            }
            List<ServiceRoute> out = new ArrayList<>();
            for (Backend b : all) {
                String dnat = "DNAT to " + b.pod().key().namespacedName() + ":" + b.targetPort();
                boolean hairpin = b.pod().key().equals(client.key());
                out.add(new ServiceRoute(b.pod(), b.targetPort(), client, hairpin, hairpin
                        ? dnat + ", the client itself (hairpin: masqueraded after the filter hooks)" : dnat));
            }
            return new Routing(out, Optional.empty());
        }
        if (entry instanceof ServiceEntry.NodePort np) {
            boolean local = service.externalTrafficPolicy() == Service.TrafficPolicy.LOCAL;
            List<Backend> chosen = local ? all.stream().filter(b -> np.node().equals(b.pod().node())).toList() : all;
            if (service.type() != Service.Type.NODE_PORT || port.nodePort() == 0) {
                return new Routing(List.of(), Optional.of(service.key() + " has no node port"));
            }
            if (chosen.isEmpty()) {
                return new Routing(List.of(), Optional.of(service.key() + " has no " + (local ? "local " : "")
                        + "ready endpoint on " + np.node() + " for node port " + port.nodePort() + "/"
                        + port.protocol() + ": kube-proxy drops the packet"
                        + (local ? " (externalTrafficPolicy: Local)" : "")));
            }
            List<ServiceRoute> out = new ArrayList<>();
            for (Backend b : chosen) {
                String dnat = "DNAT on " + np.node() + " to " + b.pod().key().namespacedName() + ":" + b.targetPort();
                if (local || np.node().equals(b.pod().node())) {
                    out.add(new ServiceRoute(b.pod(), b.targetPort(), client, false, dnat + (local
                            ? ", the client's address kept (externalTrafficPolicy: Local)"
                            : ", same node: the client's address is masqueraded only after the filter hooks")));
                } else {
                    IpAddress snat = masquerade.get(np.node());
                    if (snat == null) {
                        throw new IllegalArgumentException("no masquerade address for node " + np.node());
                    }
                    out.add(new ServiceRoute(b.pod(), b.targetPort(), reachability.outside(snat), false, dnat
                            + ", forwarded to " + b.pod().node() + " masqueraded to " + snat
                            + " (externalTrafficPolicy: Cluster)"));
                }
            }
            return new Routing(out, Optional.empty());
        }
        throw new AssertionError(entry);
    }
}
