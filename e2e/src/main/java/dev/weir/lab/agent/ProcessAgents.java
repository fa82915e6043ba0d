package dev.weir.lab.agent;

import dev.weir.agent.Durations;
import dev.weir.lab.state.LabState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Agents as child processes, exactly as the DaemonSet runs them but pointed at the lab:
 * {@code java -cp <this class path> dev.weir.cli.Main agent --node N --netns N --kubeconfig K --http-port P}.
 * They run in the caller's (host) network namespace so they reach the API server on 127.0.0.1, and program the
 * node's namespace through {@code --netns}. Output goes to {@code agent-N.log} in the state directory. The controller
 * runs the same way ({@code weir controller}), its output in {@code controller.log}. Each agent writes its denial
 * records to the node's file ({@code --denial-log-file}).
 */
public final class ProcessAgents implements AgentLauncher {

    private final List<String> javaCommand;
    private final Path logDir;
    private final LongConsumer recordPid;

    public ProcessAgents(List<String> javaCommand, Path logDir, LongConsumer recordPid) {
        this.javaCommand = List.copyOf(javaCommand);
        this.logDir = logDir;
        this.recordPid = recordPid;
    }

    @Override
    public Handle start(String node, Path kubeconfig, KubernetesClient client, int httpPort, NodeFiles files)
            throws Exception {
        Process p = launch(List.of("agent", "--node", node, "--netns", node, "--kubeconfig", kubeconfig.toString(),
                "--http-port", String.valueOf(httpPort), "--min-sync-interval", "100ms", "--cni-cache-dir",
                files.cniCacheDir().toString(), "--denial-log-file", files.denialLog().toString(),
                "--report-interval", Durations.format(InProcessAgents.REPORT_INTERVAL),
                "--report-heartbeat-interval", Durations.format(InProcessAgents.REPORT_HEARTBEAT)),
                "agent-" + node + ".log");
        LabState.AgentInfo info = new LabState.AgentInfo(node, "process", p.pid(), httpPort);
        return new Handle(info, p::destroy);
    }

    @Override
    public Handle startController(Path kubeconfig, int httpPort) throws Exception {
        Process p = launch(List.of("controller", "--kubeconfig", kubeconfig.toString(), "--lease-namespace",
                CONTROLLER_LEASE_NAMESPACE, "--identity", "lab", "--http-port", String.valueOf(httpPort),
                "--stale-after", Durations.format(InProcessAgents.STALE_AFTER)),
                "controller.log");
        LabState.AgentInfo info = new LabState.AgentInfo(CONTROLLER, "process", p.pid(), httpPort);
        return new Handle(info, p::destroy);
    }

    /** {@code weir args...} as a child JVM, its pid recorded before anything else can fail. */
    private Process launch(List<String> args, String logName) throws java.io.IOException {
        List<String> argv = new ArrayList<>(javaCommand);
        argv.add("dev.weir.cli.Main");
        argv.addAll(args);
        Path log = logDir.resolve(logName);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        recordPid.accept(p.pid());
        return p;
    }
}
