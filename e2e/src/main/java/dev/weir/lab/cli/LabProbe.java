package dev.weir.lab.cli;

import dev.weir.cli.Args;
import dev.weir.cli.Main;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.explain.TruthTableJson;
import dev.weir.explain.TruthTableText;
import dev.weir.lab.probe.LabExplain;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.ProbeTable;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.ContainerPort;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code weir lab probe}: the truth table of real packets, in explain's format; with {@code --compare} also explain's
 * table for the lab's current objects, their comparison and the differing cells (exit 1 when any differ).
 */
final class LabProbe {

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(args, Set.of("--ports", "--protocols", "-o", "--parallel", "--timeout", "--state-dir"),
                Set.of("--compare"));
        boolean compare = a.has("--compare");
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
        if (protocols.remove(Protocol.SCTP)) {
            protocols.add(Protocol.SCTP); // last; without kernel SCTP sockets it is probed with raw INIT packets
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
        try (Prober prober = new Prober(plan, a.intValue("--parallel", 24), timeout, 2, !s.sctp())) {
            results = prober.probeAll(ports, protocols);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        List<String> pods = plan.pods().stream().map(LabPlan.PodPlan::key).toList();
        TruthTable probed = ProbeTable.of(pods, results);
        boolean json = "json".equals(a.value("-o", "text"));
        List<String> notes = new ArrayList<>();
        notes.add(results.size() + " probes in " + millis + " ms");
        if (s.sctpNote() != null) {
            notes.add(s.sctpNote());
        }
        if (!compare) {
            out.print(json ? TruthTableJson.write(probed, notes) : TruthTableText.render(probed));
            if (!json) {
                notes.forEach(n -> out.println("# " + n));
            }
            return 0;
        }
        TruthTable explained;
        Config config = Config.fromKubeconfig(Files.readString(store.kubeconfig()));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            explained = LabExplain.table(client, pods, probed.targets(), d -> err.println("weir lab probe: " + d));
        }
        List<TruthTableDiff.Difference> diff = TruthTableDiff.between(explained, probed);
        notes.add(diff.isEmpty() ? "the dataplane agrees with explain in every cell"
                : diff.size() + " cells differ between explain (expected) and the probes (actual)");
        if (json) {
            out.print(TruthTableJson.write(probed, notes));
        } else {
            for (PortProtocol t : probed.targets()) {
                out.println("probed:");
                out.println(TruthTableText.render(probed, t));
                out.println("explain:");
                out.println(TruthTableText.render(explained, t));
                out.println(TruthTableText.comparison(explained, probed, t));
                out.println();
            }
            if (!diff.isEmpty()) {
                out.print(TruthTableDiff.render(diff));
            }
            notes.forEach(n -> out.println("# " + n));
        }
        return diff.isEmpty() ? 0 : 1;
    }
}
