package dev.weir.lab.cli;

import dev.weir.cli.Main;
import dev.weir.cli.Subcommand;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.explain.TruthTableHtml;
import dev.weir.explain.TruthTableJson;
import dev.weir.explain.TruthTableText;
import dev.weir.lab.denials.DenialLogTail;
import dev.weir.lab.denials.DeniedCells;
import dev.weir.lab.probe.LabExplain;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.ProbeTable;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.ContainerPort;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir lab probe}: the truth table of real packets, in explain's format; with {@code --compare} also explain's
 * table for the lab's current objects, their comparison and the differing cells (exit 1 when any differ).
 */
@Command(name = "probe", sortOptions = false,
        description = {"Real packets from every pod to every pod; prints the truth table of weir explain.", "",
            "With --compare also explain's table for the lab's current objects and the differing cells; "
                + "exit 1 when any differ. -o html prints one self-contained page (with --compare: the packets' "
                + "grid with every differing cell marked, and explain's reasons on hover and click)."})
final class LabProbe implements Subcommand {

    /** The bound: a drop's record is in its node's file within 2 s. */
    private static final Duration RECORDS_WITHIN = Duration.ofSeconds(2);

    @Option(names = "--ports", split = ",", paramLabel = "PORT",
            description = "ports to probe (default: every port some pod declares; 80 if none)")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--protocols", split = ",", paramLabel = "PROTOCOL", defaultValue = "tcp,udp,sctp",
            description = "tcp, udp, sctp (default ${DEFAULT-VALUE})")
    List<Protocol> protocols;

    @Option(names = "-o", paramLabel = "text|json|html", defaultValue = "text",
            description = "output format (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--compare", description = "compare with explain's table")
    boolean compare;

    @Option(names = "--denials", description = "with --compare (implied): each dropped cell's denial record, which "
            + "must name explain's decision for the cell; exit 1 when one has none or another")
    boolean denials;

    @Option(names = "--family", paramLabel = "ipv4|ipv6", description = "probe with packets of this family only "
            + "(default: every family the lab has, one after the other; explain is asked for the same family)")
    String familyName;

    @Option(names = "--to", paramLabel = "svc/NS/NAME", description = "probe a Service: every pod through its "
            + "cluster IP and, for a NodePort Service, the client outside the cluster (" + LabPlan.CLIENT_IP
            + ") through each node's node port; columns are the endpoints kube-proxy's rules may pick")
    String to;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "24",
            description = "probes at once (default ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "1000ms",
            description = "how long a probe waits for an answer (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Mixin
    LabSupport.StateDir state;

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        Main.UsageException.check(List.of("text", "json", "html").contains(format),
                "-o wants text, json or html, got \"%s\"", format);
        LabSupport.requireRoot();
        StateStore store = state.store();
        LabState s = LabSupport.readyLab(store);
        LabPlan plan = s.plan();

        if (protocols.remove(Protocol.SCTP)) {
            protocols.add(Protocol.SCTP); // last; without kernel SCTP sockets it is probed with raw INIT packets
        }
        if (ports.isEmpty()) {
            TreeSet<Integer> declared = new TreeSet<>();
            plan.pods().forEach(p -> p.ports().stream().map(ContainerPort::port).forEach(declared::add));
            ports.addAll(declared.isEmpty() ? List.of(80) : declared);
        }

        if (to != null) {
            Main.UsageException.check(to.startsWith("svc/"), "--to wants svc/NS/NAME, got \"%s\"", to);
            Main.UsageException.check(!denials, "--denials goes with the pod table, not with --to");
            List<String> rejected = new ArrayList<>();
            Config config = Config.fromKubeconfig(Files.readString(store.kubeconfig()));
            ServiceProbe.Result r;
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                r = ServiceProbe.run(plan, client, to, protocols, parallel, timeout, rejected);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage());
            }
            rejected.forEach(d -> err.println("weir lab probe: " + d));
            ServiceProbe.print(r, format, compare, rejected, out);
            return !compare || r.agrees() ? 0 : 1;
        }
        List<IpFamily> families = plan.families();
        if (familyName != null) {
            IpFamily f = switch (familyName.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "ipv4", "v4", "4" -> IpFamily.V4;
                case "ipv6", "v6", "6" -> IpFamily.V6;
                default -> throw new Main.UsageException("--family wants ipv4 or ipv6, got \"" + familyName + "\"");
            };
            Main.UsageException.check(plan.has(f), "the lab has no %s addresses (it is %s)", IpStack.label(f),
                    plan.ipStack().lower());
            families = List.of(f);
        }
        Main.UsageException.check(families.size() == 1 || format.equals("text"),
                "-o %s prints one family: add --family ipv4 or --family ipv6 (this lab is dual-stack)", format);
        compare |= denials;
        DenialLogTail tail = new DenialLogTail(store, Clock.systemUTC(), p -> err.println("weir lab probe: " + p));
        if (denials) {
            tail.poll(); // what the agents wrote before: read now, so that only records read from here on count
        }
        int code = 0;
        for (IpFamily family : families) {
            if (families.size() > 1) {
                out.println("# " + IpStack.label(family) + " packets");
            }
            code = Math.max(code, probe(out, err, store, s, family, tail));
        }
        return code;
    }

    /** Probes every pair with packets of {@code family}; with {@code --compare} against explain's table for them. */
    private int probe(PrintStream out, PrintStream err, StateStore store, LabState s, IpFamily family,
            DenialLogTail tail) throws Exception {
        LabPlan plan = s.plan();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<ProbeResult> results;
        try (Prober prober = new Prober(plan, parallel, timeout, 2, !s.sctp(), family)) {
            results = prober.probeAll(ports, protocols);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        DeniedCells.Window window = new DeniedCells.Window(started, Instant.now());
        List<String> pods = plan.pods().stream().map(LabPlan.PodPlan::key).toList();
        TruthTable probed = ProbeTable.of(pods, results);
        boolean json = format.equals("json");
        boolean html = format.equals("html");
        List<String> notes = new ArrayList<>();
        notes.add(results.size() + " probes in " + millis + " ms"
                + (plan.families().size() > 1 ? " over " + IpStack.label(family) : ""));
        if (s.sctpNote() != null) {
            notes.add(s.sctpNote());
        }
        if (!compare) {
            out.print(json ? TruthTableJson.write(probed, notes)
                    : html ? TruthTableHtml.probed(probed, notes) : TruthTableText.render(probed));
            if (!json && !html) {
                notes.forEach(n -> out.println("# " + n));
            }
            return 0;
        }
        TruthTable explained;
        List<String> rejected = new ArrayList<>();
        Config config = Config.fromKubeconfig(Files.readString(store.kubeconfig()));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            explained = LabExplain.table(client, plan, pods, probed.targets(), family, d -> {
                err.println("weir lab probe: " + d);
                rejected.add(d.toString());
            });
        }
        List<TruthTableDiff.Difference> diff = TruthTableDiff.between(explained, probed);
        notes.add(diff.isEmpty() ? "the dataplane agrees with explain in every cell"
                : diff.size() + " cells differ between explain (expected) and the probes (actual)");
        List<DeniedCells.Finding> findings = List.of();
        if (denials) {
            findings = DeniedCells.await(tail, plan, family, results, explained, window, RECORDS_WITHIN);
            notes.add("denial records: " + DeniedCells.summary(findings));
            if (json || html) {
                DeniedCells.problems(findings).forEach(f -> notes.add(f.describe()));
            }
        }
        if (json) {
            out.print(TruthTableJson.write(probed, notes));
        } else if (html) {
            out.print(TruthTableHtml.comparison(explained, probed, notes, rejected));
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
            if (denials) {
                out.println("denial records of the dropped cells:");
                findings.forEach(f -> out.println(f.describe()));
            }
            notes.forEach(n -> out.println("# " + n));
        }
        return diff.isEmpty() && DeniedCells.problems(findings).isEmpty() ? 0 : 1;
    }
}
