package dev.weir.lab.cli;

import dev.weir.cli.Main;
import dev.weir.cli.Subcommand;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.lab.LabDaemon;
import dev.weir.lab.LabFiles;
import dev.weir.lab.LabRequest;
import dev.weir.lab.LabTeardown;
import dev.weir.lab.agent.AgentLauncher;
import dev.weir.lab.denials.DenialLogFiles;
import dev.weir.lab.spec.Backend;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.spec.ManifestSpecLoader;
import dev.weir.lab.spec.Topology;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.sys.ProcessRunner;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir lab up}: writes the request, starts {@code weir lab serve} detached ({@code setsid}, output to
 * {@code daemon.log}) and waits until the state file says READY or FAILED. On failure it prints the reason and the end
 * of the log and tears down whatever was built.
 */
@Command(name = "up", sortOptions = false,
        description = "Build the lab, start its daemon (API server, pod servers, agents), wait until ready.")
final class LabUp implements Subcommand {

    private static final long WAIT_MILLIS = 120_000;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "2", description = "nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "-f", paramLabel = "FILE",
            description = "the cluster: Namespace and Pod manifests (default: a built-in cluster)")
    Path file;

    @Option(names = "--agents", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, none, process, in-process or image (default ${DEFAULT-VALUE}); image: each node's "
                    + "agent from the image's root filesystem, as the chart runs it")
    String agents;

    @Option(names = "--image", paramLabel = "DIR",
            description = "with --agents image: what images/build wrote (default: images/target of this checkout)")
    Path image;

    @Option(names = "--chart", paramLabel = "DIR",
            description = "with --agents image: the chart whose agent DaemonSet is followed (default: charts/weir of "
                    + "this checkout)")
    Path chart;

    @Mixin
    Wiring wiring;

    @Mixin
    LabSupport.StateDir state;

    /** How the lab is built and reached, beyond its pods and agents: what {@code demo} hands on to {@code up}. */
    static final class Wiring {
        @Option(names = "--topology", paramLabel = "T", defaultValue = "flannel",
                description = "flannel or canal (default ${DEFAULT-VALUE})")
        String topology;

        @Option(names = "--backend", paramLabel = "B", defaultValue = "vxlan",
                description = "vxlan or host-gw (default ${DEFAULT-VALUE})")
        String backend;

        @Option(names = "--ip-family", paramLabel = "F", defaultValue = "ipv4",
                description = "ipv4, ipv6 or dual: the addresses of pods and nodes (dual: both, IPv4 first; "
                        + "default ${DEFAULT-VALUE})")
        String ipFamily;

        @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "" + LabRequest.DEFAULT_API_PORT,
                description = "the API server's port (default ${DEFAULT-VALUE})")
        int apiPort;

        @Option(names = "--agent-http-base", paramLabel = "PORT",
                defaultValue = "" + LabRequest.DEFAULT_AGENT_HTTP_BASE,
                description = "the agent on node i serves /healthz, /readyz, /metrics on PORT+i (default "
                        + "${DEFAULT-VALUE})")
        int agentHttpBase;

        @Option(names = "--prefix", paramLabel = "P", defaultValue = LabRequest.DEFAULT_PREFIX,
                description = "prefix of the lab's network namespaces (default ${DEFAULT-VALUE})")
        String prefix;

        @Option(names = "--node-iptables", paramLabel = "B", defaultValue = "nft",
                description = "the nodes' iptables backend, nft or legacy, as kubelet marks it (default "
                        + "${DEFAULT-VALUE})")
        String nodeIptables;

        List<String> args() {
            return List.of("--topology", topology, "--backend", backend, "--ip-family", ipFamily,
                    "--api-port", String.valueOf(apiPort),
                    "--agent-http-base", String.valueOf(agentHttpBase), "--prefix", prefix, "--node-iptables",
                    nodeIptables);
        }
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        LabSupport.requireRoot();
        Topology topology;
        Backend backend;
        IpStack stack;
        try {
            topology = Topology.parse(wiring.topology);
            backend = Backend.parse(wiring.backend);
            stack = IpStack.parse(wiring.ipFamily);
            IptablesBackend.parse(wiring.nodeIptables);
            AgentLauncher.Mode.parse("auto".equals(agents) ? "none" : agents);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        List<String> notes = new ArrayList<>();
        LabSpec spec = file != null
                ? ManifestSpecLoader.load(file, nodes, topology, backend, notes::add)
                : LabSpec.defaultCluster(nodes, topology, backend);
        spec = spec.withIpStack(stack);
        LabRequest request = new LabRequest(spec, wiring.prefix, wiring.apiPort, agents, wiring.agentHttpBase,
                wiring.nodeIptables, image == null ? null : image.toAbsolutePath().toString(),
                chart == null ? null : chart.toAbsolutePath().toString());

        StateStore store = state.store();
        Files.createDirectories(store.dir());
        Optional<LabState> old = store.read();
        if (old.isPresent() && LabSupport.daemonAlive(old.get())) {
            err.println("weir lab: a lab is already up (state in " + store.dir() + "); weir lab down first");
            return 1;
        }
        LabTeardown teardown = new LabTeardown(store, new ProcessRunner());
        if (old.isPresent()) {
            err.println("weir lab: removing what a previous lab (daemon " + old.get().daemonPid() + ", gone) left behind");
            teardown.down(request.prefix()).forEach(l -> err.println("  " + l));
        } else if (!teardown.existingWithPrefix(request.prefix()).isEmpty()) {
            // not ours to delete: maybe a lab with another state directory
            err.println("weir lab: network namespaces named " + request.prefix() + "* exist but " + store.dir()
                    + " has no lab; another lab? (weir lab down --state-dir DIR, or --prefix P to sweep them)");
            return 1;
        }
        LabFiles.writeRequest(store, request);
        Files.deleteIfExists(store.log());
        DenialLogFiles.deleteAll(store);

        long t0 = System.nanoTime();
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(LabDaemon.javaCommand());
        argv.addAll(List.of("dev.weir.cli.Main", "lab", "serve", "--state-dir", store.dir().toAbsolutePath()
                .toString()));
        Process daemon = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(store.log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        store.writeAtomically(store.pidFile(), daemon.pid() + "\n");

        LabState s = await(store, daemon);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (s == null || !LabState.READY.equals(s.status())) {
            String why = s == null ? (daemon.isAlive() ? "not ready after " + WAIT_MILLIS / 1000 + " s"
                    : "the daemon exited (" + daemon.exitValue() + ")") : s.message();
            err.println("weir lab: up failed: " + why);
            tail(store.log(), 30).forEach(l -> err.println("  | " + l));
            new LabTeardown(store, new ProcessRunner()).down(request.prefix()).forEach(l -> err.println("  " + l));
            return 1;
        }
        out.printf("lab up in %d ms (daemon %d ms): %d nodes (%s, %s%s), %d pods; API server http://127.0.0.1:%d%n",
                millis, s.upMillis(), s.plan().nodes().size(), topology.lower(), backend.lower(),
                stack == IpStack.IPV4 ? "" : ", " + stack.lower(),
                s.plan().pods().size(), s.apiPort());
        out.println("kubeconfig: " + s.kubeconfig());
        notes.forEach(n -> out.println("note: " + n));
        if (s.sctpNote() != null) {
            out.println("note: " + s.sctpNote());
        }
        out.println(s.agents().isEmpty() ? "agents: none (no policy is enforced)"
                : "agents: " + s.agents().size() + " (" + s.agents().get(0).mode() + ")");
        if (s.controller() != null) {
            out.println("controller: " + s.controller().mode() + ", http://127.0.0.1:" + s.controller().httpPort()
                    + "/readyz");
        }
        return 0;
    }

    private static LabState await(StateStore store, Process daemon) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Optional<LabState> s;
            try {
                s = store.read();
            } catch (RuntimeException e) {
                s = Optional.empty(); // being written; the rename makes this rare
            }
            if (s.isPresent() && !LabState.STARTING.equals(s.get().status())) {
                return s.get();
            }
            if (!daemon.isAlive()) {
                return store.read().filter(x -> !LabState.STARTING.equals(x.status())).orElse(null);
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static List<String> tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }
}
