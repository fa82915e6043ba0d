package dev.weir.lab;

import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.iptables.apply.IptablesBackend;
import dev.weir.lab.agent.AgentLauncher;
import dev.weir.lab.agent.ImageAgents;
import dev.weir.lab.agent.InProcessAgents;
import dev.weir.lab.agent.ProcessAgents;
import dev.weir.lab.api.ClusterObjects;
import dev.weir.lab.api.LabApiServer;
import dev.weir.lab.denials.DenialLogFiles;
import dev.weir.lab.image.ChartAgentSpec;
import dev.weir.lab.image.ChartRender;
import dev.weir.lab.image.ImageRoot;
import dev.weir.lab.kubeproxy.KubeProxyFixture;
import dev.weir.lab.probe.ProbeResult;
import dev.weir.lab.probe.Prober;
import dev.weir.lab.serve.PodServers;
import dev.weir.lab.serve.SctpServers;
import dev.weir.lab.serve.SctpSupport;
import dev.weir.lab.spec.IpStack;
import dev.weir.lab.spec.LabSpec;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.sys.ProcessRunner;
import dev.weir.lab.topology.AddressPlanner;
import dev.weir.lab.topology.LabPlan;
import dev.weir.lab.topology.CniResultCache;
import dev.weir.lab.topology.NodeIptables;
import dev.weir.lab.topology.TopologyBuilder;
import dev.weir.model.ContainerPort;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * The long-running half of the lab ({@code weir lab serve}): builds the namespaces, serves every pod's ports, runs
 * the API server with objects matching the namespaces, starts the agents, marks the state READY and then waits for
 * SIGTERM. Everything it creates is recorded in the state file first; it never deletes namespaces itself —
 * {@code weir lab down} does, so a crashed daemon and a stopped one are cleaned up the same way.
 */
public final class LabDaemon implements AutoCloseable {

    private final StateStore store;
    private final LabRequest request;
    private final List<AutoCloseable> resources = new ArrayList<>();

    public LabDaemon(StateStore store, LabRequest request) {
        this.store = store;
        this.request = request;
    }

    /** Runs in the foreground until the process is told to stop; returns the exit code. */
    public static int serve(StateStore store) {
        LabRequest request = LabFiles.readRequest(store);
        LabDaemon daemon = new LabDaemon(store, request);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long t0 = System.nanoTime();
            daemon.close();
            log("stopped in " + ms(t0) + " ms");
            stopped.countDown();
        }, "lab-shutdown"));
        try {
            daemon.start();
        } catch (Exception e) {
            log("start-up failed: " + e);
            e.printStackTrace(System.out);
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            store.update(s -> s.failed(why));
            return 1;
        }
        watchStateFile(store);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Exits when the state file disappears: {@code down} (or a deleted test directory) has taken the lab away, and a
     * daemon nobody can find any more must not linger.
     */
    private static void watchStateFile(StateStore store) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                if (!Files.exists(store.stateFile())) {
                    log("state file " + store.stateFile() + " is gone: exiting");
                    System.exit(0);
                }
            }
        }, "lab-state-watch");
        t.setDaemon(true);
        t.start();
    }

    public void start() throws Exception {
        long t0 = System.nanoTime();
        LabSpec spec = request.spec();
        IptablesBackend nodeIptables = IptablesBackend.parse(request.nodeIptables());
        // the image and the chart first: a missing build fails `up` before anything is created
        ImageRoot image = null;
        ChartAgentSpec chart = null;
        if (agentMode(request.agents()) == AgentLauncher.Mode.IMAGE) {
            image = ImageRoot.read(request.image() != null ? Path.of(request.image()) : inCheckout("images/target"));
            chart = ChartRender.agent(request.chart() != null ? Path.of(request.chart()) : inCheckout("charts/weir"));
            log("image " + image.rootfs() + " (entrypoint " + image.entrypoint() + "), run as the chart's agent: args "
                    + chart.args() + ", capabilities " + chart.capabilities() + ", read-only root "
                    + chart.readOnlyRoot() + ", " + chart.mounts().size() + " mounts, " + chart.env().size()
                    + " environment variables");
        }
        LabPlan plan = AddressPlanner.plan(spec, request.prefix());
        store.write(LabState.starting(ProcessHandle.current().pid(), request.prefix(), plan));
        log("building " + spec.nodes() + " nodes (" + spec.topology().lower() + ", " + spec.backend().lower() + "), "
                + plan.pods().size() + " pods");

        // the API server and its objects depend on the plan only: start it (seconds of class loading) and fill it
        // while the namespaces are built
        Map<String, Map<String, String>> nsLabels = new LinkedHashMap<>();
        spec.namespaces().forEach(n -> nsLabels.put(n.name(), n.labels()));
        CompletableFuture<LabApiServer> apiStart = CompletableFuture.supplyAsync(() -> {
                    LabApiServer server = LabApiServer.start(request.apiPort());
                    ClusterObjects.create(server.client(), plan, nsLabels, spec.services());
                    return server;
                });
        resources.add(() -> apiStart.thenAccept(LabApiServer::close));
        new TopologyBuilder(new ProcessRunner(), name -> store.update(s -> s.withNetns(name)), nodeIptables)
                .build(plan);
        log("network namespaces built in " + ms(t0) + " ms");
        NodeIptables.mark(plan, nodeIptables, new ProcessRunner());
        log("nodes use iptables-" + nodeIptables.word() + " (flannel's rules and kubelet's hint chains are in it)");
        writeCniCaches(plan);

        Map<String, NetworkNamespace> podNetns = new HashMap<>();
        resources.add(() -> podNetns.values().forEach(NetworkNamespace::close));
        for (LabPlan.PodPlan p : plan.pods()) {
            podNetns.put(p.key(), NetworkNamespace.named(p.netns()));
        }
        PodServers servers = PodServers.start(plan, podNetns);
        resources.add(servers);
        Optional<String> noSctp = SctpSupport.missing();
        if (noSctp.isEmpty()) {
            resources.add(SctpServers.start(plan, podNetns, pid -> store.update(s -> s.withPid(pid))));
        } else {
            log(noSctp.get());
        }
        store.update(s -> s.withSctp(noSctp.isEmpty(), noSctp.orElse(null)));
        log(servers.sockets() + " TCP/UDP sockets serving");

        LabApiServer api;
        try {
            api = apiStart.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        store.writeAtomically(store.kubeconfig(), api.kubeconfig());
        store.update(s -> s.withApi(api.port(), store.kubeconfig().toString()));
        selfCheck(plan);
        startKubeProxy(plan, api);
        log("API server on " + api.url() + " with " + plan.nodes().size() + " nodes, " + nsLabels.size()
                + " namespaces, " + plan.pods().size() + " pods");

        startAgents(plan, api, image, chart);
        long millis = ms(t0);
        store.update(s -> s.ready(millis));
        log("ready in " + millis + " ms");
    }

    /**
     * Real packets from the first pod to every other pod on a TCP port the destination serves, before any agent
     * exists: a lab whose wiring is broken fails {@code up} here instead of showing up later as denied cells.
     */
    private static void selfCheck(LabPlan plan) throws Exception {
        if (plan.pods().size() < 2) {
            return;
        }
        LabPlan.PodPlan from = plan.pods().get(0);
        List<String> failures = new ArrayList<>();
        for (IpFamily family : plan.families()) {
            try (Prober prober = new Prober(plan, 8, Duration.ofSeconds(1), 2, false, family)) {
                for (LabPlan.PodPlan to : plan.pods().subList(1, plan.pods().size())) {
                    Optional<ContainerPort> port = to.ports().stream().filter(p -> p.protocol() == Protocol.TCP)
                            .findFirst();
                    if (port.isPresent()) {
                        ProbeResult r = prober.probe(from, to, port.get().port(), Protocol.TCP);
                        if (!r.allowed()) {
                            failures.add(from.key() + " -> " + to.key() + ":" + port.get().port() + " over "
                                    + IpStack.label(family) + ": " + r.detail());
                        }
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the lab's wiring is broken, pods cannot reach each other: "
                    + String.join("; ", failures));
        }
        log("self-check: " + from.key() + " reaches every other pod"
                + (plan.families().size() > 1 ? " over IPv4 and IPv6" : ""));
    }

    /**
     * The lab's kube-proxy ({@link KubeProxyFixture}): the declared Services' rules are written once before any agent
     * runs (as on a node where kube-proxy ran first) and before READY, so a declared Service answers as soon as
     * {@code up} returns.
     */
    private void startKubeProxy(LabPlan plan, LabApiServer api) {
        KubeProxyFixture kubeProxy = new KubeProxyFixture(plan, api.client(), new ProcessRunner());
        kubeProxy.sync();
        kubeProxy.start();
        resources.add(kubeProxy);
        log("kube-proxy rules in every node (" + request.spec().services().size() + " declared Services)");
    }

    /** Each node's CNI runtime cache, where its agent finds bridged pods' ports ({@link CniResultCache}). */
    private void writeCniCaches(LabPlan plan) throws java.io.IOException {
        for (LabPlan.NodePlan n : plan.nodes()) {
            java.nio.file.Path dir = cniCacheDir(store, n.name());
            java.nio.file.Files.createDirectories(dir);
            for (Map.Entry<String, String> f : CniResultCache.files(plan, n.name()).entrySet()) {
                store.writeAtomically(dir.resolve(f.getKey()), f.getValue());
            }
        }
    }

    /** {@code <state dir>/cni/<node>/results}: the lab's stand-in for a node's {@code /var/lib/cni/results}. */
    public static java.nio.file.Path cniCacheDir(StateStore store, String node) {
        return store.dir().resolve("cni").resolve(node).resolve("results");
    }

    private void startAgents(LabPlan plan, LabApiServer api, ImageRoot image, ChartAgentSpec chart)
            throws Exception {
        AgentLauncher.Mode mode = agentMode(request.agents());
        if (mode == AgentLauncher.Mode.NONE) {
            log("no agents (" + request.agents() + "): nothing enforces policy in this lab");
            return;
        }
        AgentLauncher launcher;
        if (mode == AgentLauncher.Mode.IMAGE) {
            ImageAgents images = ImageAgents.start(image, chart, store.dir().resolve("image"), store.kubeconfig(),
                    api.port(), plan.underlayNetns(), plan.underlayGateway(), pid -> store.update(s -> s.withPid(pid)),
                    new InProcessAgents());
            resources.add(images); // closed after the agents (resources close in reverse)
            log("API server forwarded to " + plan.underlayGateway() + ":" + api.port() + " in " + plan.underlayNetns()
                    + " for the image agents");
            launcher = images;
        } else if (mode == AgentLauncher.Mode.PROCESS) {
            launcher = new ProcessAgents(javaCommand(), store.dir(), pid -> store.update(s -> s.withPid(pid)));
        } else {
            launcher = new InProcessAgents();
        }
        for (LabPlan.NodePlan n : plan.nodes()) {
            AgentLauncher.Handle h = launcher.start(n.name(), store.kubeconfig(), api.client(),
                    request.agentHttpBase() + n.index(),
                    new AgentLauncher.NodeFiles(cniCacheDir(store, n.name()), DenialLogFiles.of(store, n.name())));
            resources.add(h);
            store.update(s -> s.withAgent(h.info()));
            log("agent for " + n.name() + " started (" + h.info().mode() + ")");
        }
        // nodes are numbered from 1: the port below the first agent's is the controller's
        AgentLauncher.Handle c = launcher.startController(store.kubeconfig(), request.agentHttpBase());
        resources.add(c);
        store.update(s -> s.withController(c.info()));
        log("controller started (" + c.info().mode() + ", http port " + c.info().httpPort() + ")");
    }

    /** {@code auto}: agents inside this JVM (one JVM for the whole lab matters on a 2-core machine). */
    static AgentLauncher.Mode agentMode(String requested) {
        if ("auto".equalsIgnoreCase(requested)) {
            return AgentLauncher.Mode.IN_PROCESS;
        }
        return AgentLauncher.Mode.parse(requested);
    }

    /**
     * {@code relative} in the checkout this lab runs from: the first directory above this class's jar (or classes
     * directory) that has it, else the working directory's.
     */
    static Path inCheckout(String relative) {
        try {
            Path code = Path.of(LabDaemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = code; d != null; d = d.getParent()) {
                if (Files.exists(d.resolve(relative))) {
                    return d.resolve(relative);
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of(relative).toAbsolutePath();
    }

    /** The java binary and class path of this JVM (made absolute), to start sibling JVMs. */
    public static List<String> javaCommand() {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cp = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.add(Path.of(entry).toAbsolutePath().toString());
        }
        List<String> argv = new ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xmx384m"));
        String jul = System.getProperty("java.util.logging.config.file");
        if (jul != null && Files.exists(Path.of(jul))) {
            argv.add("-Djava.util.logging.config.file=" + Path.of(jul).toAbsolutePath());
        }
        argv.add("-cp");
        argv.add(String.join(File.pathSeparator, cp));
        return argv;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void log(String message) {
        System.out.println(Instant.now() + " lab: " + message);
        System.out.flush();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log("closing " + resources.get(i) + ": " + e);
            }
        }
        resources.clear();
    }
}
