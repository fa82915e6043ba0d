package dev.weir.lab.cli;

import dev.weir.cli.Main;
import dev.weir.cli.Subcommand;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.explain.TruthTableJson;
import dev.weir.explain.TruthTableText;
import dev.weir.lab.LabTeardown;
import dev.weir.lab.probe.LabExplain;
import dev.weir.lab.probe.ProbeTable;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.sys.ProcessRunner;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.ContainerPort;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir lab demo}: the README's worked example on a real lab. {@code up -f examples/cluster.yaml}, then no
 * policy, {@code deny-all-ingress}, {@code allow-80-ingress}, {@code deny-all-egress}, each applied with kubectl; after
 * each step the probed matrix and explain's matrix (same format) and whether they agree; then {@code down}, also on
 * failure and Ctrl-C. Exit 1 if any cell of the last probe of any step disagrees.
 *
 * <p>The agents apply a change asynchronously, so a step probes until packets agree with explain or
 * {@code --settle} passes, and shows the last probe. Only the port/protocol pairs the pods declare are probed.
 */
@Command(name = "demo", sortOptions = false,
        description = {"The README's example on a real lab: packets against explain, policy by policy.", "",
            "up -f cluster.yaml; no policy, then deny-all-ingress, allow-80-ingress, deny-all-egress from "
                + "the same directory, each with kubectl apply; after each the probed and explain's matrices; down "
                + "(also on failure or Ctrl-C). Exit 1 on any difference."})
final class LabDemo implements Subcommand {

    static final List<String> POLICIES = List.of("deny-all-ingress.yaml", "allow-80-ingress.yaml",
            "deny-all-egress.yaml");

    @Option(names = "-f", paramLabel = "FILE", defaultValue = "examples/cluster.yaml",
            description = "the cluster; the policies are read from its directory (default ${DEFAULT-VALUE})")
    Path cluster;

    @Option(names = "--agents", paramLabel = "MODE", defaultValue = "in-process",
            description = "as for up (default ${DEFAULT-VALUE})")
    String agents;

    @Mixin
    LabUp.Wiring wiring;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "300ms",
            description = "how long a probe waits for an answer (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--settle", paramLabel = "D", defaultValue = "15s",
            description = "how long a step probes until packets agree with explain (default ${DEFAULT-VALUE})")
    Duration settle;

    @Option(names = "--save", paramLabel = "DIR", description = "write each step's matrices there as JSON")
    Path save;

    @Mixin
    LabSupport.StateDir state;

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        LabSupport.requireRoot();
        Path dir = cluster.toAbsolutePath().getParent();
        for (Path p : policyFiles(dir)) {
            if (!Files.exists(p)) {
                err.println("weir lab demo: " + p + " is missing (run from the repository, or -f path/to/cluster.yaml)");
                return 2;
            }
        }
        StateStore store = state.store();

        String prefix = wiring.prefix;
        List<String> up = new ArrayList<>(List.of("-f", cluster.toString(), "--agents", agents));
        up.addAll(wiring.args());
        state.value().ifPresent(d -> up.addAll(List.of("--state-dir", d)));
        out.println("== weir lab up " + String.join(" ", up));
        long t0 = System.nanoTime();
        // one down, whoever comes first; a Ctrl-C during the main thread's down waits for it (the JVM halts when its
        // hooks return, even mid-teardown)
        AtomicBoolean downDone = new AtomicBoolean();
        Runnable down = () -> {
            synchronized (downDone) {
                if (!downDone.get()) {
                    out.println("== weir lab down");
                    new LabTeardown(store, new ProcessRunner()).down(prefix).forEach(l -> out.println("  " + l));
                    downDone.set(true);
                }
            }
        };
        Thread hook = new Thread(down, "lab-demo-down");
        Runtime.getRuntime().addShutdownHook(hook);
        int disagreeing = 0;
        try {
            if (Main.run(new LabUp(), up, out, err) != 0) {
                return 1; // up has torn down what it built
            }
            LabState s = LabSupport.readyLab(store);
            LabPlan plan = s.plan();
            List<String> pods = plan.pods().stream().map(LabPlan.PodPlan::key).toList();
            List<PortProtocol> targets = declaredTargets(plan);
            Config config = Config.fromKubeconfig(Files.readString(store.kubeconfig()));
            List<Path> files = new ArrayList<>();
            files.add(null);
            files.addAll(policyFiles(dir));
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                    Prober prober = new Prober(plan, 24, timeout, 2, !s.sctp())) {
                for (int i = 0; i < files.size(); i++) {
                    Path policy = files.get(i);
                    String heading = policy == null ? "no policy"
                            : "+ " + dir.relativize(policy.toAbsolutePath()) + " (kubectl apply)";
                    out.println();
                    out.println("== step " + (i + 1) + ": " + heading);
                    if (policy != null
                            && LabKubectl.kubectl(store, List.of("apply", "-f", policy.toString()), out, err) != 0) {
                        err.println("weir lab demo: kubectl apply failed; applying through fabric8 instead");
                        LabObjects.apply(store, policy, out);
                    }
                    long st = System.nanoTime();
                    Step step = settle(client, prober, pods, targets, settle);
                    long ms = (System.nanoTime() - st) / 1_000_000;
                    for (PortProtocol t : targets) {
                        out.println("probed:");
                        out.println(TruthTableText.render(step.probed(), t));
                        out.println("explain:");
                        out.println(TruthTableText.render(step.explained(), t));
                    }
                    if (step.diff().isEmpty()) {
                        out.printf("agree: yes, every cell (%d probe rounds, %d ms)%n", step.rounds(), ms);
                    } else {
                        disagreeing += step.diff().size();
                        out.printf("agree: NO, %d cells differ after %d ms:%n", step.diff().size(), ms);
                        out.print(TruthTableDiff.render(step.diff()));
                    }
                    if (save != null) {
                        Files.createDirectories(save);
                        Files.writeString(save.resolve("step-" + (i + 1) + "-probed.json"),
                                TruthTableJson.write(step.probed(), List.of(heading)));
                        Files.writeString(save.resolve("step-" + (i + 1) + "-explain.json"),
                                TruthTableJson.write(step.explained(), List.of(heading)));
                    }
                }
            }
        } finally {
            down.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running or ran down already
            }
        }
        long total = (System.nanoTime() - t0) / 1_000_000;
        out.println();
        out.println(disagreeing == 0 ? "demo: packets agreed with explain in every cell of every step (" + total
                + " ms)" : "demo: " + disagreeing + " cells disagreed (" + total + " ms)");
        return disagreeing == 0 ? 0 : 1;
    }

    static List<Path> policyFiles(Path dir) {
        return POLICIES.stream().map(dir::resolve).toList();
    }

    /** Every (port, protocol) some pod declares; 80/TCP when none does. */
    static List<PortProtocol> declaredTargets(LabPlan plan) {
        TreeSet<String> seen = new TreeSet<>();
        List<PortProtocol> out = new ArrayList<>();
        for (LabPlan.PodPlan p : plan.pods()) {
            for (ContainerPort c : p.ports()) {
                if (seen.add(c.protocol() + "/" + c.port())) {
                    out.add(new PortProtocol(c.port(), c.protocol()));
                }
            }
        }
        out.sort(java.util.Comparator.comparing((PortProtocol t) -> t.protocol()).thenComparing(PortProtocol::port));
        return out.isEmpty() ? List.of(PortProtocol.tcp(80)) : out;
    }

    record Step(TruthTable probed, TruthTable explained, List<TruthTableDiff.Difference> diff, int rounds) {
    }

    private static Step settle(KubernetesClient client, Prober prober, List<String> pods, List<PortProtocol> targets,
            Duration settle) throws Exception {
        long deadline = System.nanoTime() + settle.toNanos();
        int rounds = 0;
        while (true) {
            rounds++;
            List<dev.weir.lab.probe.ProbeResult> results = new ArrayList<>();
            for (PortProtocol t : targets) {
                results.addAll(prober.probeAmong(pods, t.port(), t.protocol()));
            }
            TruthTable probed = ProbeTable.of(pods, results);
            TruthTable explained = LabExplain.table(client, pods, targets, d -> {
            });
            List<TruthTableDiff.Difference> diff = TruthTableDiff.between(explained, probed);
            if (diff.isEmpty() || System.nanoTime() > deadline) {
                return new Step(probed, explained, diff, rounds);
            }
            Thread.sleep(200);
        }
    }
}
