package dev.weir.lab.cli;

import dev.weir.cli.Subcommand;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.topology.LabPlan;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code weir lab status}: what the state file says, whether the daemon lives, and each agent's /readyz. */
@Command(name = "status", description = "Nodes, pods with IPs and nodes, API server, agent health.")
final class LabStatus implements Subcommand {

    @Mixin
    LabSupport.Output output;

    @Mixin
    LabSupport.StateDir stateDir;

    @Override
    public int run(PrintStream out, PrintStream err) {
        StateStore store = stateDir.store();
        Optional<LabState> state = store.read();
        boolean json = output.json();
        if (state.isEmpty()) {
            out.println(json ? "{\"status\":\"DOWN\"}" : "no lab (state dir " + store.dir() + ")");
            return 1;
        }
        LabState s = state.get();
        boolean alive = LabSupport.daemonAlive(s);
        Map<String, String> agentHealth = new LinkedHashMap<>();
        s.agents().forEach(ag -> agentHealth.put(ag.node(), readyz(ag.httpPort())));
        String controllerHealth = s.controller() == null ? "none" : readyz(s.controller().httpPort());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", alive ? s.status() : "DAEMON-DEAD");
            m.put("state", s);
            m.put("agentHealth", agentHealth);
            m.put("controllerHealth", controllerHealth);
            out.println(StateStore.toJson(m));
            return alive ? 0 : 1;
        }
        out.printf("lab %s, daemon %d %s, state dir %s%n", s.status(), s.daemonPid(), alive ? "running" : "NOT RUNNING",
                store.dir());
        if (s.message() != null) {
            out.println("  " + s.message());
        }
        LabPlan p = s.plan();
        out.printf("topology %s, backend %s, %sAPI server http://127.0.0.1:%d, kubeconfig %s%n",
                p.topology().lower(), p.backend().lower(),
                p.ipStack() == IpStack.IPV4 ? "" : "ip family " + p.ipStack().lower() + ", ", s.apiPort(),
                s.kubeconfig());
        out.println("NODE\tUNDERLAY-IP\tPOD-CIDR\tAGENT");
        for (LabPlan.NodePlan n : p.nodes()) {
            out.printf("%s\t%s\t%s\t%s%n", n.name(), String.join(",", p.underlayAddresses(n)),
                    String.join(",", p.podCidrs(n)),
                    agentHealth.getOrDefault(n.name(), "none"));
        }
        out.println("controller: " + controllerHealth);
        out.println("POD\tIP\tNODE\tNETNS\tPORTS");
        for (LabPlan.PodPlan pod : p.pods()) {
            List<String> ports = new ArrayList<>();
            pod.ports().forEach(cp -> ports.add(cp.port() + "/" + cp.protocol()));
            out.printf("%s\t%s\t%s\t%s\t%s%n", pod.key(), String.join(",", p.addresses(pod)), pod.node(),
                    pod.hostNetwork() ? pod.netns() + " (hostNetwork)" : pod.netns(), String.join(",", ports));
        }
        if (s.sctpNote() != null) {
            out.println("note: " + s.sctpNote());
        }
        return alive ? 0 : 1;
    }

    /** "ready", "not ready: <body>" or "unreachable". */
    static String readyz(int port) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? "ready" : "not ready: " + r.body().strip();
        } catch (Exception e) {
            return "unreachable";
        }
    }
}
