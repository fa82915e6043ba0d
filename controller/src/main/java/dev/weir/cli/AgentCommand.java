package dev.weir.cli;

import dev.weir.agent.AgentConfig;
import dev.weir.agent.Durations;
import dev.weir.agent.LogSetup;
import dev.weir.agent.NodeAgent;
import dev.weir.iptables.sys.NetworkNamespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code weir agent}: the node agent, until SIGTERM. Rules stay in the kernel when it stops. */
public final class AgentCommand implements Command {

    private final Map<String, String> env;

    public AgentCommand() {
        this(System.getenv());
    }

    AgentCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String summary() {
        return "run the node agent: watch the cluster, program this node's iptables chains and ipsets";
    }

    @Override
    public String usage() {
        StringBuilder sb = new StringBuilder("usage: weir agent [--node NAME] [flags]\n\n"
                + "Every flag has an environment variable; the flag wins.\n\n");
        for (AgentConfig.Setting s : AgentConfig.Setting.values()) {
            sb.append(String.format("  %-24s %-26s default: %s%n", s.flag + " " + placeholder(s), s.env,
                    s.defaultValue == null ? defaultText(s) : s.defaultValue));
        }
        sb.append("\nDurations are written 500ms, 30s, 5m, 1h. Endpoints: /healthz /readyz /metrics.");
        return sb.toString();
    }

    private static String placeholder(AgentConfig.Setting s) {
        return switch (s) {
            case NODE -> "NAME";
            case KUBECONFIG -> "FILE";
            case RESYNC_INTERVAL, MIN_SYNC_INTERVAL, DRIFT_CHECK_INTERVAL -> "D";
            case IPTABLES_BACKEND -> "B";
            case MARK_MASK -> "M";
            case HTTP_PORT -> "P";
            case LOG_FORMAT -> "F";
            case LOG_LEVEL -> "L";
            case NETNS -> "NAME";
        };
    }

    private static String defaultText(AgentConfig.Setting s) {
        return switch (s) {
            case NODE -> "(required)";
            case KUBECONFIG -> "in-cluster config";
            case NETNS -> "(host)";
            default -> "";
        };
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Args parsed = Args.parse(args, AgentConfig.flags(), Set.of());
        Main.UsageException.check(parsed.positional().isEmpty(), "unexpected argument %s", parsed.positional());
        AgentConfig config = AgentConfig.from(parsed, env);
        config.kubeconfigFile().ifPresent(f -> Main.UsageException.check(Files.isReadable(f),
                "--kubeconfig/KUBECONFIG: cannot read %s", f));
        LogSetup.apply(config.logFormat(), config.logLevel());
        NetworkNamespace netns = config.netnsName().map(NetworkNamespace::named).orElse(NetworkNamespace.host());
        CountDownLatch stop = new CountDownLatch(1);
        try (KubernetesClient client = client(config);
                NodeAgent agent = NodeAgent.start(config, client, netns)) {
            // SIGTERM: stop watching and syncing; the applied rules stay, so a restart opens no gap.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                stop.countDown();
            }, "weir-agent-shutdown"));
            err.printf("weir agent: node %s, http :%d, resync %s%n", config.node(), agent.httpPort(),
                    Durations.format(config.resyncInterval()));
            stop.await();
        } finally {
            netns.close();
        }
        return 0;
    }

    private static KubernetesClient client(AgentConfig config) {
        if (config.kubeconfigFile().isEmpty()) {
            return new KubernetesClientBuilder().build(); // in-cluster service account, or $HOME/.kube/config
        }
        try {
            Config c = Config.fromKubeconfig(config.kubeconfig().toFile());
            return new KubernetesClientBuilder().withConfig(c).build();
        } catch (RuntimeException e) {
            throw new Main.UsageException("--kubeconfig/KUBECONFIG: cannot read " + config.kubeconfig() + ": " + e);
        }
    }
}
