package dev.weir.explain;

import dev.weir.graph.Reachability;
import dev.weir.graph.Verdict;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Service;
import dev.weir.service.ServiceEntry;
import dev.weir.service.ServiceRoute;
import dev.weir.service.ServiceRoutes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A Service's truth table: rows are clients (a pod through the cluster IP, or an address outside the cluster through
 * one node's node port: {@code 192.168.222.200 -> wl-n1}), columns the endpoints kube-proxy's rules may send them to;
 * a cell says whether the packet that endpoint receives passes. Target: the Service port for cluster IP rows, the
 * node port for node port rows. Each cell's first reason is the route ({@link ServiceRoutes}); the others are
 * {@link Reachability#evaluateRouted}'s sides. A client whose packet no rule routes (no endpoint, or no local one
 * with {@code externalTrafficPolicy: Local}) has every endpoint's cell denied, with the reason and no decision. Pure.
 */
public final class ServiceExplainer {

    private ServiceExplainer() {
    }

    /** A row: how it is named, the client's end, and where it sends the packet. */
    public record Client(String row, Endpoint endpoint, ServiceEntry entry) {
    }

    /** Each pod in {@code pods} (keys of the graph) through the cluster IP. */
    public static List<Client> podClients(Reachability reachability, List<String> pods) {
        return pods.stream().map(p -> new Client(p, reachability.graph().endpoint(p), new ServiceEntry.ClusterIp()))
                .toList();
    }

    /** An address outside the cluster through each node's node port, a row per node. */
    public static List<Client> outsideClients(Reachability reachability, IpAddress address, List<String> nodes) {
        return nodes.stream().map(n -> new Client(address + " -> " + n, reachability.outside(address),
                (ServiceEntry) new ServiceEntry.NodePort(n))).toList();
    }

    /** The table of {@code service} for {@code clients}; {@code masquerade} per node as {@link ServiceRoutes#route}. */
    public static TruthTable table(Reachability reachability, Service service, Map<String, IpAddress> masquerade,
            List<Client> clients) {
        List<Endpoint> pods = List.copyOf(reachability.graph().endpoints().values());
        LinkedHashSet<String> names = new LinkedHashSet<>();
        clients.forEach(c -> names.add(c.row()));
        List<String> backends = new ArrayList<>();
        for (Service.Port p : service.ports()) {
            ServiceRoutes.backends(service, p, pods).forEach(b -> {
                String key = b.pod().key().namespacedName();
                if (!backends.contains(key)) {
                    backends.add(key);
                }
            });
        }
        backends.stream().sorted().forEach(names::add);
        TruthTable.Builder b = TruthTable.builder(new ArrayList<>(names));
        for (Service.Port port : service.ports()) {
            List<String> portBackends = ServiceRoutes.backends(service, port, pods).stream()
                    .map(x -> x.pod().key().namespacedName()).toList();
            for (Client c : clients) {
                boolean nodePort = c.entry() instanceof ServiceEntry.NodePort;
                if (nodePort && port.nodePort() == 0) {
                    continue;
                }
                PortProtocol target = new PortProtocol(nodePort ? port.nodePort() : port.port(), port.protocol());
                b.target(target);
                ServiceRoutes.Routing routing = ServiceRoutes.route(reachability, service, port, c.entry(),
                        c.endpoint(), pods, masquerade);
                String via = "service: " + service.key() + " " + c.entry().describe() + " " + target + ": ";
                if (routing.dropped().isPresent()) {
                    for (String to : portBackends) {
                        b.set(c.row(), to, target, new TruthTable.Cell(false, List.of(via
                                + routing.dropped().get())));
                    }
                    continue;
                }
                for (ServiceRoute r : routing.routes()) {
                    Verdict v = reachability.evaluateRouted(c.endpoint(), r.seenSource(), r.backend(),
                            r.targetPort(), port.protocol(), service.clusterIp().family());
                    List<String> reasons = new ArrayList<>();
                    reasons.add(via + r.path());
                    reasons.addAll(v.reasons());
                    b.set(c.row(), r.backend().key().namespacedName(), target,
                            new TruthTable.Cell(v.allowed(), reasons, v.decisions()));
                }
            }
        }
        return b.build();
    }
}
