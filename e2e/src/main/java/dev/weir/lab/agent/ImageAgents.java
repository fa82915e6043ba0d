package dev.weir.lab.agent;

import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.lab.image.ChartAgentSpec;
import dev.weir.lab.image.ContainerScript;
import dev.weir.lab.image.ImageRoot;
import dev.weir.lab.image.NetworkForward;
import dev.weir.lab.state.LabState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Agents run from the image ({@code --agents image}), the way the chart's DaemonSet runs them: each node's agent is the
 * image's entrypoint with the chart's args, environment, capabilities, mounts and read-only root, in the node's network
 * namespace ({@link ContainerScript}). The lab adds only what a cluster would provide otherwise: the node name (the
 * downward API), a kubeconfig (for the service account), a route to the API server (the underlay gateway, through a
 * {@link NetworkForward}), and each node's CNI cache at the chart's path. The agent's stdout (its denial records, as a
 * container runtime would collect them) goes to the node's denial file, its stderr (its log) to
 * {@code agent-N.log}; its {@code /readyz} is forwarded to 127.0.0.1 of the machine on the lab's port. The controller is
 * not the image's concern here: it runs in the daemon's JVM.
 */
public final class ImageAgents implements AgentLauncher, AutoCloseable {

    /** Where the kubeconfig appears inside the container (read-only), and {@code KUBECONFIG} points. */
    static final String KUBECONFIG_PATH = "/var/run/secrets/weir-lab/kubeconfig";

    private final ImageRoot image;
    private final ChartAgentSpec spec;
    private final Path workDir;
    private final LongConsumer recordPid;
    private final AgentLauncher controllers;
    private final Path kubeconfig;
    private final NetworkForward api;
    private final NetworkNamespace underlay;
    private final List<AutoCloseable> resources = new ArrayList<>();

    private ImageAgents(ImageRoot image, ChartAgentSpec spec, Path workDir, LongConsumer recordPid,
                        AgentLauncher controllers, Path kubeconfig, NetworkForward api, NetworkNamespace underlay) {
        this.image = image;
        this.spec = spec;
        this.workDir = workDir;
        this.recordPid = recordPid;
        this.controllers = controllers;
        this.kubeconfig = kubeconfig;
        this.api = api;
        this.underlay = underlay;
    }

    /**
     * Opens the API server's forward on {@code gateway:apiPort} inside the underlay namespace and writes the agents'
     * kubeconfig (the lab's, pointed there) into {@code workDir}.
     */
    public static ImageAgents start(ImageRoot image, ChartAgentSpec spec, Path workDir, Path labKubeconfig,
                                    int apiPort, String underlayNetns, String gateway, LongConsumer recordPid,
                                    AgentLauncher controllers) throws Exception {
        if (!spec.hostNetwork()) {
            throw new IllegalArgumentException("the chart's agent is not hostNetwork; the lab runs it in its node's "
                    + "network namespace only");
        }
        Files.createDirectories(workDir);
        String url = "http://" + gateway + ":" + apiPort;
        String text = Files.readString(labKubeconfig).replaceAll("http://(127\\.0\\.0\\.1|localhost):" + apiPort, url);
        if (!text.contains(url)) {
            throw new IllegalStateException("the lab's kubeconfig does not name 127.0.0.1:" + apiPort);
        }
        Path kubeconfig = Files.writeString(workDir.resolve("kubeconfig"), text);
        NetworkNamespace underlay = NetworkNamespace.named(underlayNetns);
        NetworkForward api;
        try {
            api = NetworkForward.start("api", underlay, new InetSocketAddress(gateway, apiPort),
                    NetworkNamespace.host(), new InetSocketAddress("127.0.0.1", apiPort));
        } catch (Exception | Error e) {
            underlay.close();
            throw e;
        }
        return new ImageAgents(image, spec, workDir, recordPid, controllers, kubeconfig, api, underlay);
    }

    @Override
    public Handle start(String node, Path labKubeconfig, KubernetesClient client, int httpPort, NodeFiles files)
            throws Exception {
        Path dir = workDir.resolve(node);
        deleteTree(dir);
        Map<String, String> env = new LinkedHashMap<>();
        spec.nodeNameEnv().forEach(n -> env.put(n, node));
        env.put("KUBECONFIG", KUBECONFIG_PATH);
        String limits = ContainerScript.jvmLimits(spec);
        if (!limits.isEmpty()) {
            env.put("JDK_JAVA_OPTIONS", limits);
        }
        Map<String, Path> hostPaths = new LinkedHashMap<>();
        String cniCache = spec.env().get("WEIR_CNI_CACHE_DIR");
        if (cniCache != null) {
            hostPaths.put(cniCache, files.cniCacheDir().toAbsolutePath());
        }
        ContainerScript script = new ContainerScript(image, spec, dir, hostPaths, Map.of(KUBECONFIG_PATH, kubeconfig),
                env);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.sh"), script.script());
        Path log = labLog(labKubeconfig, node);
        Files.createDirectories(files.denialLog().toAbsolutePath().getParent());
        NetworkNamespace netns = NetworkNamespace.named(node);
        Process p;
        long launched = System.nanoTime();
        try {
            p = netns.start(new ProcessBuilder(script.argv())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(files.denialLog().toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        } finally {
            netns.close();
        }
        recordPid.accept(p.pid());
        NetworkNamespace inNode = NetworkNamespace.named(node);
        NetworkForward readyz;
        try {
            readyz = NetworkForward.start("readyz-" + node, NetworkNamespace.host(),
                    new InetSocketAddress("127.0.0.1", httpPort), inNode,
                    new InetSocketAddress("127.0.0.1", spec.httpPort()));
        } catch (Exception | Error e) {
            inNode.close();
            stop(p, dir);
            throw e;
        }
        watchReadiness(node, p, httpPort, launched);
        LabState.AgentInfo info = new LabState.AgentInfo(node, "image", p.pid(), httpPort);
        return new Handle(info, () -> {
            stop(p, dir);
            readyz.close();
            inNode.close();
        });
    }

    /** {@code agent-NODE.log} beside the lab's kubeconfig (the state directory), as the process agents write it. */
    private static Path labLog(Path labKubeconfig, String node) {
        return labKubeconfig.toAbsolutePath().getParent().resolve("agent-" + node + ".log");
    }

    /** Logs (to the daemon's log) when the agent's /readyz first answers 200: its start-to-ready time from the image. */
    private static void watchReadiness(String node, Process p, int httpPort, long launched) {
        Thread t = new Thread(() -> {
            URI uri = URI.create("http://127.0.0.1:" + httpPort + "/readyz");
            while (p.isAlive()) {
                try {
                    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                    c.setConnectTimeout(500);
                    c.setReadTimeout(500);
                    if (c.getResponseCode() == 200) {
                        System.out.println(Instant.now() + " lab: agent " + node + " (image) ready "
                                + (System.nanoTime() - launched) / 1_000_000 + " ms after launch, pid " + p.pid());
                        return;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "readyz-watch-" + node);
        t.setDaemon(true);
        t.start();
    }

    /**
     * TERM to the container's init (through unshare's --kill-child), up to 4 s for the JVM's shutdown (the daemon has
     * 5 s for all of its own before {@code down} kills it; a straggler is found in the node's namespace then), then KILL
     * to whatever is left; the mount and PID namespaces die with their last process. Then the scratch directory goes.
     */
    private static void stop(Process p, Path dir) {
        List<ProcessHandle> tree = Stream.concat(Stream.of(p.toHandle()), p.descendants()).toList();
        p.destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        try {
            deleteTree(dir);
        } catch (IOException e) {
            System.out.println(Instant.now() + " lab: could not remove " + dir + ": " + e);
        }
    }

    /**
     * Removes a container's scratch directory: its script, the overlay's upper and work directories, and the root
     * mount point only if it is empty. Never recursively through {@code root}: should the container's mounts ever be
     * visible here, a recursive delete would walk into the machine's directories bound into it.
     */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        for (String scratch : List.of("upper", "work")) {
            Path d = dir.resolve(scratch);
            if (Files.exists(d)) {
                try (Stream<Path> files = Files.walk(d)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
        Files.deleteIfExists(dir.resolve("run.sh"));
        Files.deleteIfExists(dir.resolve("root"));
        Files.deleteIfExists(dir);
    }

    @Override
    public Handle startController(Path kubeconfig, int httpPort) throws Exception {
        return controllers.startController(kubeconfig, httpPort);
    }

    @Override
    public void close() {
        api.close();
        underlay.close();
    }
}
