package dev.weir.cli;

import dev.weir.agent.AgentConfig;
import dev.weir.agent.Durations;
import dev.weir.agent.LogSetup;
import dev.weir.controller.ControllerConfig;
import dev.weir.controller.LeaseSettings;
import dev.weir.controller.WeirController;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir controller}: one replica of the cluster-wide controller (a Deployment), until SIGTERM, which releases the
 * Lease when leading. Every flag reads its environment variable when absent, as {@code weir agent}'s do; the table
 * is in {@code docs/controller.md}.
 */
@Command(name = "controller", sortOptions = false,
        customSynopsis = "weir controller [FLAGS]",
        description = {"Run the controller: one leader-elected writer for the whole cluster of the ClusterNetworkPolicy "
                + "status conditions and of the policies' Events.", "",
            "Every flag has an environment variable, in brackets; the flag wins."},
        footer = {"", "Durations are written 500ms, 30s, 5m, 1h. Endpoints: /healthz /readyz /metrics."})
public final class ControllerCommand implements Subcommand {

    @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "${env:KUBECONFIG}",
            description = "API server access [KUBECONFIG; default: in-cluster config]")
    private String kubeconfig;

    @Option(names = "--lease-name", paramLabel = "NAME", defaultValue = "${env:WEIR_LEASE_NAME:-weir-controller}",
            description = "the coordination.k8s.io Lease the replicas compete for [WEIR_LEASE_NAME; "
                    + "${DEFAULT-VALUE}]")
    private String leaseName;

    @Option(names = "--lease-namespace", paramLabel = "NS", defaultValue = "${env:POD_NAMESPACE}",
            description = "the Lease's namespace [POD_NAMESPACE; default: the namespace of the kubeconfig context "
                    + "or of the in-cluster service account]")
    private String leaseNamespace;

    @Option(names = "--identity", paramLabel = "ID", defaultValue = "${env:POD_NAME}",
            description = "this replica's name in the Lease, followed by _ and a random suffix [POD_NAME; default: "
                    + "the host name]")
    private String identity;

    @Option(names = "--lease-duration", paramLabel = "D", converter = AgentCommand.PositiveDuration.class,
            defaultValue = "${env:WEIR_LEASE_DURATION:-15s}",
            description = "how long a lease not renewed stays the leader's; whole seconds [WEIR_LEASE_DURATION; "
                    + "${DEFAULT-VALUE}]")
    private Duration leaseDuration;

    @Option(names = "--renew-deadline", paramLabel = "D", converter = AgentCommand.PositiveDuration.class,
            defaultValue = "${env:WEIR_LEASE_RENEW_DEADLINE:-10s}",
            description = "a leader that has not renewed within this stops leading [WEIR_LEASE_RENEW_DEADLINE; "
                    + "${DEFAULT-VALUE}]")
    private Duration renewDeadline;

    @Option(names = "--retry-period", paramLabel = "D", converter = AgentCommand.PositiveDuration.class,
            defaultValue = "${env:WEIR_LEASE_RETRY_PERIOD:-2s}",
            description = "how often the leader renews and the others try [WEIR_LEASE_RETRY_PERIOD; "
                    + "${DEFAULT-VALUE}]")
    private Duration retryPeriod;

    @Option(names = "--stale-after", paramLabel = "D", converter = AgentCommand.PositiveDuration.class,
            defaultValue = "${env:WEIR_STALE_AFTER:-3m}",
            description = "a node whose report is older is named stale and not counted as enforcing "
                    + "[WEIR_STALE_AFTER; ${DEFAULT-VALUE}]")
    private Duration staleAfter;

    @Option(names = "--resync-interval", paramLabel = "D", converter = AgentCommand.PositiveDuration.class,
            defaultValue = "${env:WEIR_RESYNC_INTERVAL:-5m}",
            description = "reconcile every policy again even without events [WEIR_RESYNC_INTERVAL; ${DEFAULT-VALUE}]")
    private Duration resyncInterval;

    @Option(names = "--http-port", paramLabel = "P", converter = AgentCommand.Port.class,
            defaultValue = "${env:WEIR_HTTP_PORT:-9098}",
            description = "/healthz, /readyz, /metrics on 0.0.0.0; 0: any free port [WEIR_HTTP_PORT; "
                    + "${DEFAULT-VALUE}]")
    private int httpPort;

    @Option(names = "--log-format", paramLabel = "F", defaultValue = "${env:WEIR_LOG_FORMAT:-text}",
            description = "text or json [WEIR_LOG_FORMAT; ${DEFAULT-VALUE}]")
    private AgentConfig.LogFormat logFormat;

    @Option(names = "--log-level", paramLabel = "L", converter = AgentCommand.LogLevel.class,
            defaultValue = "${env:WEIR_LOG_LEVEL:-info}",
            description = "error, warn, info, debug or trace [WEIR_LOG_LEVEL; ${DEFAULT-VALUE}]")
    private String logLevel;

    /**
     * The settings picocli parsed; {@code defaultNamespace} is the client's namespace, for a Lease namespace not
     * given. The identity gets a random suffix, so that two replicas given the same name (or a restarted one whose
     * predecessor might still run) never both believe they hold the Lease.
     */
    ControllerConfig config(String defaultNamespace) {
        String namespace = present(leaseNamespace) ? leaseNamespace.strip() : defaultNamespace;
        Main.UsageException.check(present(namespace),
                "no namespace for the Lease: pass --lease-namespace NS or set POD_NAMESPACE");
        Main.UsageException.check(present(leaseName), "--lease-name/WEIR_LEASE_NAME must not be blank");
        String id = (present(identity) ? identity.strip() : hostName()) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        return new ControllerConfig(present(kubeconfig) ? Path.of(kubeconfig) : null, lease(leaseName.strip(),
                namespace, id), staleAfter, resyncInterval, httpPort, logFormat, logLevel);
    }

    /** The Lease settings; timings that cannot work together are a usage error naming the three flags. */
    private LeaseSettings lease(String name, String namespace, String id) {
        try {
            return new LeaseSettings(name, namespace, id, leaseDuration, renewDeadline, retryPeriod);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--lease-duration, --renew-deadline, --retry-period: " + e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "weir-controller";
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        lease("check", "check", "check"); // the timing, before anything connects
        if (present(kubeconfig)) {
            Main.UsageException.check(Files.isReadable(Path.of(kubeconfig)), "--kubeconfig/KUBECONFIG: cannot read %s",
                    kubeconfig);
        }
        LogSetup.apply(logFormat, logLevel);
        CountDownLatch stop = new CountDownLatch(1);
        try (KubernetesClient client = client()) {
            ControllerConfig config = config(client.getNamespace());
            try (WeirController controller = WeirController.start(config, client)) {
                // SIGTERM: release the Lease (when leading) so that another replica takes over at once
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    controller.close();
                    stop.countDown();
                }, "weir-controller-shutdown"));
                err.printf("weir controller: %s, Lease %s, http :%d, stale after %s%n", config.lease().identity(),
                        config.lease().describe(), controller.httpPort(), Durations.format(config.staleAfter()));
                stop.await();
            }
        }
        return 0;
    }

    private KubernetesClient client() {
        if (!present(kubeconfig)) {
            return new KubernetesClientBuilder().build(); // in-cluster service account, or $HOME/.kube/config
        }
        try {
            Config c = Config.fromKubeconfig(Path.of(kubeconfig).toFile());
            return new KubernetesClientBuilder().withConfig(c).build();
        } catch (RuntimeException e) {
            throw new Main.UsageException("--kubeconfig/KUBECONFIG: cannot read " + kubeconfig + ": " + e);
        }
    }
}
