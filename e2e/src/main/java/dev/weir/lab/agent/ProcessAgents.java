package dev.weir.lab.agent;

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
 * node's namespace through {@code --netns}. Output goes to {@code agent-N.log} in the state directory.
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
    public Handle start(String node, Path kubeconfig, KubernetesClient client, int httpPort, Path cniCacheDir)
            throws Exception {
        List<String> argv = new ArrayList<>(javaCommand);
        argv.addAll(List.of("dev.weir.cli.Main", "agent", "--node", node, "--netns", node,
                "--kubeconfig", kubeconfig.toString(), "--http-port", String.valueOf(httpPort),
                "--min-sync-interval", "100ms", "--cni-cache-dir", cniCacheDir.toString()));
        Path log = logDir.resolve("agent-" + node + ".log");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        recordPid.accept(p.pid());
        LabState.AgentInfo info = new LabState.AgentInfo(node, "process", p.pid(), httpPort);
        return new Handle(info, p::destroy);
    }
}
