package dev.weir.lab.agent;

import dev.weir.agent.AgentConfig;
import dev.weir.agent.NodeAgent;
import dev.weir.controller.ControllerConfig;
import dev.weir.controller.WeirController;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.lab.state.LabState;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Agents inside the lab daemon's JVM ({@code --agents in-process}): {@link NodeAgent#start} per node with its own API
 * client and {@link NetworkNamespace#named} of the node, which is how the agent module documents running several agents
 * in one JVM, and the controller beside them ({@link WeirController#start}, its own client). Cheaper than a JVM each;
 * their log lines go to {@code daemon.log}, the agents' denial records to each node's file as the process agents' do.
 */
public final class InProcessAgents implements AgentLauncher {

    /** Short enough that a test sees a policy enforced within a second of applying it. */
    static final Duration MIN_SYNC = Duration.ofMillis(100);
    /**
     * The lab's agents report at most every second (the flags' floor) and at least every 10 s, and its controller
     * calls a node stale after three heartbeats: a lab answers "enforced on 2/2" within seconds of an apply.
     */
    public static final Duration REPORT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration REPORT_HEARTBEAT = Duration.ofSeconds(10);
    public static final Duration STALE_AFTER = Duration.ofSeconds(30);

    @Override
    public Handle start(String node, Path kubeconfig, KubernetesClient shared, int httpPort, NodeFiles files)
            throws Exception {
        AgentConfig defaults = AgentConfig.defaults(node);
        AgentConfig config = defaults.withNetns(node).withHttpPort(httpPort)
                .withIntervals(Duration.ofMinutes(5), MIN_SYNC, Duration.ofSeconds(60))
                .withLocalNetwork(defaults.localNetwork().withCniCacheDir(files.cniCacheDir()))
                .withDenialLog(defaults.denialLog().withFile(files.denialLog()))
                .withReport(defaults.report().withIntervals(REPORT_INTERVAL, REPORT_HEARTBEAT));
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        NetworkNamespace netns = NetworkNamespace.named(node);
        NodeAgent agent;
        try {
            agent = NodeAgent.start(config, client, netns);
        } catch (Exception | Error e) {
            netns.close();
            client.close();
            throw e;
        }
        LabState.AgentInfo info = new LabState.AgentInfo(node, "in-process", ProcessHandle.current().pid(),
                agent.httpPort());
        return new Handle(info, () -> {
            agent.close();
            netns.close();
            client.close();
        });
    }

    @Override
    public Handle startController(Path kubeconfig, int httpPort) throws Exception {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        WeirController controller;
        try {
            controller = WeirController.start(ControllerConfig.defaults(CONTROLLER_LEASE_NAMESPACE,
                    "lab-" + ProcessHandle.current().pid()).withHttpPort(httpPort).withStaleAfter(STALE_AFTER), client);
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
        LabState.AgentInfo info = new LabState.AgentInfo(CONTROLLER, "in-process", ProcessHandle.current().pid(),
                controller.httpPort());
        return new Handle(info, () -> {
            controller.close();
            client.close();
        });
    }
}
