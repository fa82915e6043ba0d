package dev.weir.lab.cli;

import dev.weir.cli.Args;
import dev.weir.cli.Main;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.ProbeTable;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.ContainerPort;
import dev.weir.model.Protocol;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code weir lab probe}: the truth table of real packets. */
final class LabProbe {

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Args a = LabCommand.parse(args, Set.of("--ports", "--protocols", "-o", "--parallel", "--timeout"));
        boolean compare = false;
        List<String> rest = new ArrayList<>(args);
        if (rest.remove("--compare")) {
            compare = true;
            a = LabCommand.parse(rest, Set.of("--ports", "--protocols", "-o", "--parallel", "--timeout"));
        }
        LabSupport.requireRoot();
        StateStore store = StateStore.resolve(a.value("--state-dir"));
        LabState s = LabSupport.readyLab(store);
        LabPlan plan = s.plan();

        List<Protocol> protocols = new ArrayList<>();
        for (String p : Main.csv(a.value("--protocols", "tcp,udp,sctp"))) {
            try {
                protocols.add(Protocol.parse(p));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage());
            }
        }
        if (protocols.remove(Protocol.SCTP) && s.sctp()) {
            protocols.add(Protocol.SCTP);
        } else if (a.value("--protocols").map(v -> v.toLowerCase().contains("sctp")).orElse(false)) {
            err.println("weir lab probe: skipping SCTP: " + s.sctpNote());
        }
        List<Integer> ports = new ArrayList<>();
        if (a.value("--ports").isPresent()) {
            for (String p : Main.csv(a.value("--ports").get())) {
                try {
                    ports.add(Integer.parseInt(p));
                } catch (NumberFormatException e) {
                    throw new Main.UsageException("--ports wants numbers, got \"" + p + "\"");
                }
            }
        } else {
            TreeSet<Integer> declared = new TreeSet<>();
            plan.pods().forEach(p -> p.ports().stream().map(ContainerPort::port).forEach(declared::add));
            ports.addAll(declared.isEmpty() ? List.of(80) : declared);
        }
        Duration timeout = LabDurations.parse(a.value("--timeout", "1000ms"), "--timeout");

        long t0 = System.nanoTime();
        List<ProbeResult> results;
        try (Prober prober = new Prober(plan, a.intValue("--parallel", 24), timeout, 2)) {
            results = prober.probeAll(ports, protocols);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if ("json".equals(a.value("-o", "text"))) {
            out.println(ProbeTable.json(results));
        } else {
            out.print(ProbeTable.text(results));
            out.printf("%d probes in %d ms%n", results.size(), millis);
        }
        if (compare) {
            // HOOK(explain): compile the lab's objects (NetworkPolicy from the lab API server, translated with
            // dev.weir.k8s.ModelTranslator) with PolicyCompiler, evaluate with Reachability, print that table and
            // the differing cells with dev.weir.explain.TruthTable's diff. Not in this build yet.
            err.println("weir lab probe: --compare needs dev.weir.k8s.ModelTranslator and dev.weir.explain.TruthTable,"
                    + " which are not in this build yet");
            return 2;
        }
        return 0;
    }
}
