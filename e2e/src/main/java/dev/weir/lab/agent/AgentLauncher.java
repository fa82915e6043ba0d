package dev.weir.lab.agent;

import dev.weir.lab.state.LabState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Starts one weir agent per lab node. The daemon calls {@link #start} once per node after the API server holds the
 * lab's objects; the handle is closed when the lab goes down.
 */
public interface AgentLauncher {

    /**
     * @param node       node name, which is also the node's network namespace ({@code /run/netns/NODE})
     * @param kubeconfig the lab API server's kubeconfig (for agents in another process)
     * @param client     a client of the lab API server (for agents in this JVM)
     * @param httpPort   the agent's {@code /healthz} {@code /readyz} {@code /metrics} port on 127.0.0.1
     * @param files      where the node's agent reads and writes files of its own
     */
    Handle start(String node, Path kubeconfig, KubernetesClient client, int httpPort, NodeFiles files)
            throws Exception;

    /**
     * Starts the weir controller the same way as the agents (one replica: it leads at once; its Lease lives in
     * {@value #CONTROLLER_LEASE_NAMESPACE}), serving {@code /readyz} on 127.0.0.1:{@code httpPort}.
     */
    Handle startController(Path kubeconfig, int httpPort) throws Exception;

    /** The namespace of the lab controller's Lease (the lab's kubeconfig context namespace too). */
    String CONTROLLER_LEASE_NAMESPACE = "default";

    /** The node name the lab state gives the controller's entry. */
    String CONTROLLER = "controller";

    /**
     * A node's files in the state directory.
     *
     * @param cniCacheDir the node's CNI result cache (the lab's stand-in for {@code /var/lib/cni/results}), where the
     *                    agent finds bridged pods' ports
     * @param denialLog   where the agent appends its denial records ({@code --denial-log-file}), which
     *                    {@code weir lab denials} reads
     */
    record NodeFiles(Path cniCacheDir, Path denialLog) {
    }

    /** A running agent: what the lab state records of it, and how to stop it. */
    record Handle(LabState.AgentInfo info, Runnable stop) implements AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }
    }

    /**
     * How agents run: not at all, as {@code weir agent} child processes, inside the lab daemon's JVM, or from the
     * image as the chart runs it ({@link ImageAgents}).
     */
    enum Mode {
        NONE, PROCESS, IN_PROCESS, IMAGE;

        public static Mode parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "process" -> PROCESS;
                case "in-process", "inprocess" -> IN_PROCESS;
                case "image" -> IMAGE;
                default -> throw new IllegalArgumentException(
                        "unknown agent mode \"" + text + "\" (want none, process, in-process or image)");
            };
        }
    }
}
