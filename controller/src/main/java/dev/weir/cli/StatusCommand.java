package dev.weir.cli;

import dev.weir.model.ObjectKey;
import dev.weir.status.ClusterEnforcement;
import dev.weir.status.ClusterObjects;
import dev.weir.status.Enforcement;
import dev.weir.status.StatusJson;
import dev.weir.status.StatusText;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weir status}: reads the policies, pods, nodes and the agents' NodePolicyReports from the cluster and prints,
 * per policy, on how many of the nodes that should enforce it it is in force ({@link Enforcement}), and per node its
 * last heartbeat, last apply and error.
 */
@Command(name = "status", sortOptions = false,
        customSynopsis = {"weir status [KIND/NAME | nodes] [-n NS | -A] [-o text|json] [--stale-after 3m]",
            "            [--kubeconfig FILE] [--context NAME]"},
        description = {"Show whether policies are enforced, on which nodes, and each node's last apply and error.",
            "",
            "Reads the cluster through the kubeconfig, as kubectl does (also as `kubectl weir status`). A policy "
                    + "is expected on the nodes that run a pod it selects; a node enforces it when its agent's "
                    + "report lists that policy object at its current generation. A node whose agent has not "
                    + "reported for --stale-after is stale: named, never counted as enforcing.",
            "",
            "KIND/NAME: networkpolicy/NAME (netpol, np) in -n NS, or clusternetworkpolicy/NAME (cnp). Without it: "
                    + "the NetworkPolicies of -n NS (or of every namespace with -A), every ClusterNetworkPolicy, "
                    + "then the nodes. `nodes`: the node table only."},
        footer = {"", "Exit status: 0 shown, 1 the policy named does not exist or the cluster could not be read, "
                + "2 bad usage."})
public final class StatusCommand implements Subcommand {

    /** Three heartbeats of an agent with the default interval (60 s). */
    static final String DEFAULT_STALE_AFTER = "3m";

    @Parameters(arity = "0..1", paramLabel = "KIND/NAME|nodes", description = "one policy, or `nodes`")
    private String target;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "namespace of the NetworkPolicies (default: the context's, else default)")
    private String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "NetworkPolicies of every namespace")
    private boolean allNamespaces;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "output format (default ${DEFAULT-VALUE}; json is described in docs/status.md)")
    private String format;

    @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = DEFAULT_STALE_AFTER,
            description = "a node whose agent has not reported for this long is stale (default ${DEFAULT-VALUE})")
    private Duration staleAfter;

    @Mixin
    private ClusterAccess cluster;

    private final Clock clock;

    public StatusCommand() {
        this(Clock.systemUTC());
    }

    /** For tests: ages and staleness measured against this clock. */
    public StatusCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public int run(PrintStream out, PrintStream err) {
        Main.UsageException.check(List.of("text", "json").contains(format), "-o wants text or json, got \"%s\"",
                format);
        Main.UsageException.check(!staleAfter.isNegative() && !staleAfter.isZero(), "--stale-after must be > 0");
        Main.UsageException.check(!(allNamespaces && namespace != null), "-A and -n exclude each other");
        boolean nodesOnly = "nodes".equals(target) || "node".equals(target) || "no".equals(target);
        Config config = cluster.config();
        String ns = namespace != null ? namespace : cluster.namespace(config);
        ObjectKey named = nodesOnly || target == null ? null : policy(target, ns);
        Main.UsageException.check(named == null || !allNamespaces, "-A lists policies; with KIND/NAME use -n");
        Predicate<ObjectKey> wanted = nodesOnly ? k -> false
                : named != null ? named::equals
                : k -> k.kind() == ObjectKey.Kind.CLUSTER_NETWORK_POLICY || allNamespaces || ns.equals(k.namespace());

        ClusterObjects objects;
        try (KubernetesClient client = cluster.client(config)) {
            objects = ClusterObjects.read(client, true);
        }
        Instant now = clock.instant();
        Enforcement e = ClusterEnforcement.of(objects, wanted, now, staleAfter);
        if (named != null && e.policies().isEmpty()) {
            err.println("weir status: " + named + " not found");
            return 1;
        }
        if (format.equals("json")) {
            out.print(StatusJson.write(e.policies(), e.nodes(), objects.notes(), now, staleAfter));
            return 0;
        }
        objects.notes().forEach(n -> err.println("note: " + n));
        if (!nodesOnly) {
            out.print(StatusText.policies(e.policies()));
        }
        if (named == null) {
            if (!nodesOnly) {
                out.println();
            }
            out.print(StatusText.nodes(e.nodes(), now));
        }
        return 0;
    }

    /** {@code KIND/NAME} as kubectl spells it (kind case-insensitive, plural and short names too). */
    static ObjectKey policy(String text, String namespace) {
        int slash = text.indexOf('/');
        Main.UsageException.check(slash > 0 && slash < text.length() - 1 && text.indexOf('/', slash + 1) < 0,
                "want KIND/NAME (networkpolicy/NAME or clusternetworkpolicy/NAME) or nodes, got \"%s\"", text);
        String kind = text.substring(0, slash).toLowerCase(Locale.ROOT);
        String name = text.substring(slash + 1);
        return switch (kind) {
            case "networkpolicy", "networkpolicies", "netpol", "np",
                    "networkpolicy.networking.k8s.io", "networkpolicies.networking.k8s.io" ->
                    ObjectKey.networkPolicy(namespace, name);
            case "clusternetworkpolicy", "clusternetworkpolicies", "cnp",
                    "clusternetworkpolicy.policy.networking.k8s.io",
                    "clusternetworkpolicies.policy.networking.k8s.io" -> ObjectKey.clusterNetworkPolicy(name);
            default -> throw new Main.UsageException("unknown kind \"" + text.substring(0, slash)
                    + "\": want networkpolicy (netpol, np) or clusternetworkpolicy (cnp)");
        };
    }
}
