package dev.weir.lab.cli;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.ServiceExplainer;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.explain.TruthTableHtml;
import dev.weir.explain.TruthTableJson;
import dev.weir.explain.TruthTableText;
import dev.weir.lab.probe.LabExplain;
import dev.weir.lab.probe.ServiceProber;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.IpAddress;
import dev.weir.model.Protocol;
import dev.weir.model.Service;
import dev.weir.service.ServiceEntry;
import dev.weir.service.ServiceRoute;
import dev.weir.service.ServiceRoutes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code weir lab probe --to svc/NS/NAME}: every pod through the Service's cluster IP and, for a NodePort Service, the
 * client outside the cluster through each node's node port, probed with real packets ({@link ServiceProber}) and set
 * against explain's table of the same rows ({@link ServiceExplainer}); exit 1 when a cell differs or a pod that is
 * no endpoint answered.
 */
final class ServiceProbe {

    private ServiceProbe() {
    }

    record Result(TruthTable probed, TruthTable explained, List<TruthTableDiff.Difference> diff, List<String> notes,
            List<String> misrouted) {
        boolean agrees() {
            return diff.isEmpty() && misrouted.isEmpty();
        }
    }

    /** Probes and explains the Service {@code target} ({@code svc/NS/NAME}) for {@code protocols}. */
    static Result run(LabPlan plan, KubernetesClient client, String target, List<Protocol> protocols, int parallel,
            Duration timeout, List<String> rejected) throws Exception {
        String[] parts = target.substring("svc/".length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("--to svc/NS/NAME names a Service, got \"" + target + "\"");
        }
        LabExplain.ServiceView view = LabExplain.service(client, parts[0], parts[1], d -> rejected.add(d.toString()));
        List<String> notes = new ArrayList<>();
        Service full = view.service();
        List<Service.Port> kept = full.ports().stream().filter(p -> protocols.contains(p.protocol())
                && p.protocol() != Protocol.SCTP).toList();
        if (kept.size() < full.ports().size()) {
            notes.add("Service ports not probed (SCTP, or a protocol not asked for): " + full.ports().stream()
                    .filter(p -> !kept.contains(p)).map(p -> p.port() + "/" + p.protocol())
                    .collect(Collectors.joining(", ")));
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(full.key() + " has no TCP or UDP port to probe among " + protocols);
        }
        Service service = new Service(full.namespace(), full.name(), full.type(), full.clusterIp(), full.selector(),
                kept, full.externalTrafficPolicy());
        var reachability = view.reachability();
        List<String> pods = plan.pods().stream().map(LabPlan.PodPlan::key).toList();
        List<ServiceExplainer.Client> clients = new ArrayList<>(ServiceExplainer.podClients(reachability, pods));
        if (service.type() == Service.Type.NODE_PORT) {
            clients.addAll(ServiceExplainer.outsideClients(reachability, IpAddress.parse(LabPlan.CLIENT_IP),
                    plan.nodes().stream().map(LabPlan.NodePlan::name).toList()));
        }
        TruthTable explained = ServiceExplainer.table(reachability, service, view.masquerade(), clients);

        List<ServiceProber.Row> rows = new ArrayList<>();
        var endpoints = List.copyOf(reachability.graph().endpoints().values());
        for (Service.Port port : service.ports()) {
            Set<String> all = ServiceRoutes.backends(service, port, endpoints).stream()
                    .map(b -> b.pod().key().namespacedName()).collect(Collectors.toSet());
            for (ServiceExplainer.Client c : clients) {
                ServiceRoutes.Routing routing = ServiceRoutes.route(reachability, service, port, c.entry(),
                        c.endpoint(), endpoints, view.masquerade());
                Set<String> candidates = routing.dropped().isPresent() ? all : routing.routes().stream()
                        .map(ServiceRoute::backend).map(b -> b.key().namespacedName()).collect(Collectors.toSet());
                if (c.entry() instanceof ServiceEntry.NodePort np) {
                    rows.add(new ServiceProber.Row(c.row(), plan.clientNetns(), plan.node(np.node()).underlayIp(),
                            port.nodePort(), port.protocol(), candidates));
                } else {
                    LabPlan.PodPlan pod = plan.pod(c.row()).orElseThrow();
                    rows.add(new ServiceProber.Row(c.row(), pod.netns(), service.clusterIp().toString(), port.port(),
                            port.protocol(), candidates));
                }
            }
        }
        long t0 = System.nanoTime();
        List<ServiceProber.Outcome> outcomes;
        try (ServiceProber prober = new ServiceProber(parallel, timeout)) {
            outcomes = prober.probe(rows);
        }
        int attempts = outcomes.stream().mapToInt(ServiceProber.Outcome::attempts).sum();
        List<String> misrouted = new ArrayList<>();
        TruthTable probed = ServiceProber.table(explained.pods(), outcomes, misrouted);
        notes.add(rows.size() + " rows, " + attempts + " probes in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        notes.addAll(misrouted);
        List<TruthTableDiff.Difference> diff = TruthTableDiff.between(explained, probed);
        notes.add(diff.isEmpty() ? "the dataplane agrees with explain in every cell"
                : diff.size() + " cells differ between explain (expected) and the probes (actual)");
        return new Result(probed, explained, diff, notes, misrouted);
    }

    /** Prints as {@code weir lab probe} prints: both tables per target, their comparison, the differing cells. */
    static void print(Result r, String format, boolean compare, List<String> rejected, PrintStream out) {
        if (format.equals("json")) {
            out.print(TruthTableJson.write(r.probed(), r.notes()));
            return;
        }
        if (format.equals("html")) {
            out.print(compare ? TruthTableHtml.comparison(r.explained(), r.probed(), r.notes(), rejected)
                    : TruthTableHtml.probed(r.probed(), r.notes()));
            return;
        }
        for (PortProtocol t : r.probed().targets()) {
            out.println((compare ? "probed:\n" : "") + TruthTableText.renderPresent(r.probed(), t));
            if (compare) {
                out.println("explain:");
                out.println(TruthTableText.renderPresent(r.explained(), t));
            }
            out.println();
        }
        if (compare && !r.diff().isEmpty()) {
            out.print(TruthTableDiff.render(r.diff()));
        }
        r.notes().forEach(n -> out.println("# " + n));
    }
}
