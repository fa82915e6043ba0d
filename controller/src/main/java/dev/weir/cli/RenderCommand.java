package dev.weir.cli;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.EbtablesScript;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.LocalNetwork;
import dev.weir.iptables.render.PodInterface;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import dev.weir.k8s.LoadResult;
import dev.weir.model.ObjectKey;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir render --node NAME}: the ipsets and iptables chains the agent would program on one node, from
 * manifests, as the exact payloads it hands to {@code ipset restore} and {@code iptables-restore --noflush}, and with
 * {@code --bridge-port} the layer-2 checks it hands to {@code ebtables-restore --noflush}. Offline: nothing is applied.
 */
@Command(name = "render", sortOptions = false,
        customSynopsis = "weir render --node NAME [-f] FILE|DIR|- ... [--bridge-port NS/POD=IF,MAC ...] "
                + "[--only ipset|iptables|ip6tables|ebtables]",
        description = {"Print the ipsets and iptables rules weir would program on a node (offline).", "",
            "Reads Namespace, Pod, Node, NetworkPolicy and ClusterNetworkPolicy manifests (as `weir explain` does) "
                    + "and prints what the agent on node NAME would program: the `ipset restore` payload, then the "
                    + "`iptables-restore --noflush` payload for the IPv4 filter table, then the IPv6 one when the "
                    + "node has IPv6 rules. Sections start with a `#` header line. The iptables payloads insert the "
                    + "three hooks (FORWARD, INPUT, OUTPUT) at position 1; the agent inserts them only when missing.",
            "",
            "Pods behind a bridge port (flannel's bridge plugin on cni0) get layer-2 anti-spoofing: name each with "
                    + "--bridge-port NS/POD=IF,MAC (the host-side veth and the pod's MAC, as the agent finds them) "
                    + "and the `ebtables-restore --noflush` payload for the bridge nat table follows.",
            "",
            "Notes and rejected objects go to stderr."},
        footer = {"", "Exit status: 0 all objects accepted, 1 some object was rejected (output still printed), "
                + "2 bad usage."})
public final class RenderCommand implements Subcommand {

    private static final List<String> SECTIONS = List.of("ipset", "iptables", "ip6tables", "ebtables");
    private static final Pattern BRIDGE_PORT = Pattern.compile("([^/=]+)/([^/=]+)=([^,]+),(.+)");

    @Mixin
    private ManifestFiles manifests;

    @Option(names = "--node", paramLabel = "NAME", description = "the node (spec.nodeName of its pods)")
    private String node;

    @Option(names = "--only", paramLabel = "WHAT",
            description = "print one payload (ipset, iptables, ip6tables or ebtables) without headers, ready to pipe "
                    + "into its tool")
    private String only;

    @Option(names = "--bridge-port", paramLabel = "NS/POD=IF,MAC",
            description = "a pod of the node behind a bridge port: its host-side interface and its MAC (repeatable)")
    private List<String> bridgePorts = new ArrayList<>();

    @Option(names = "--mark-mask", paramLabel = "M", defaultValue = "0xf00000",
            description = "the packet-mark bits weir may use, as the agent's --mark-mask (default ${DEFAULT-VALUE};"
                    + " the four lowest set bits are used)")
    private RenderOptions options;

    @Option(names = "--conn-mark", paramLabel = "B", defaultValue = "0x1000000",
            converter = AgentCommand.ConnMark.class,
            description = "the conntrack-mark bit of the established-flow fast path, as the agent's --conn-mark "
                    + "(default ${DEFAULT-VALUE}; 0: none)")
    private int connMark;

    private final InputStream stdin;

    public RenderCommand() {
        this(System.in);
    }

    /** For tests: {@code -} reads this stream. */
    public RenderCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public int run(PrintStream out, PrintStream err) {
        manifests.requireSome();
        Main.UsageException.check(node != null, "--node NAME is required");
        Main.UsageException.check(only == null || SECTIONS.contains(only),
                "--only wants one of %s, got \"%s\"", String.join(", ", SECTIONS), only);

        LocalNetwork local = localNetwork();
        LoadResult loaded = manifests.load(stdin, err);
        PolicyGraph graph = PolicyCompiler.compile(loaded.snapshot());
        if (graph.endpointsOn(node).isEmpty()) {
            err.println("note: no pod in the manifests runs on node " + node
                    + "; printing the chains of a node without selected pods");
        }
        Ruleset rs = IptablesRenderer.render(graph, node, options.withConnMark(connMark), local);
        if (only != null) {
            out.print(switch (only) {
                case "ipset" -> IpsetScript.install(rs.sets());
                case "iptables" -> iptables(rs.v4());
                case "ebtables" -> EbtablesScript.install(rs.bridge());
                default -> iptables(rs.v6());
            });
        } else {
            out.println("# weir render --node " + node + ": " + rs.sets().size() + " ipsets, "
                    + rs.v4().chains().size() + " IPv4 chains, " + rs.v6().chains().size() + " IPv6 chains"
                + (rs.bridge().isEmpty() ? "" : ", " + rs.bridge().chains().size() + " bridge chains"));
            out.println("# ipset restore");
            out.print(IpsetScript.install(rs.sets()));
            out.println("# iptables-restore --noflush (IPv4 filter table)");
            out.print(iptables(rs.v4()));
            if (!rs.v6().chains().isEmpty()) {
                out.println("# ip6tables-restore --noflush (IPv6 filter table)");
                out.print(iptables(rs.v6()));
            }
            if (!rs.bridge().isEmpty()) {
                out.println("# ebtables-restore --noflush (bridge nat table)");
                out.print(EbtablesScript.install(rs.bridge()));
            }
        }
        return loaded.hasRejections() ? 1 : 0;
    }

    /** The interfaces named by {@code --bridge-port}; none known without it. */
    private LocalNetwork localNetwork() {
        Map<ObjectKey, PodInterface> ports = new TreeMap<>();
        for (String spec : bridgePorts) {
            Matcher m = BRIDGE_PORT.matcher(spec);
            Main.UsageException.check(m.matches(), "--bridge-port wants NS/POD=IF,MAC, got \"%s\"", spec);
            try {
                ports.put(ObjectKey.pod(m.group(1), m.group(2)), PodInterface.bridgePort(m.group(3), m.group(4)));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--bridge-port " + spec + ": " + e.getMessage());
            }
        }
        return ports.isEmpty() ? LocalNetwork.none() : new LocalNetwork(ports, List.of(), false);
    }

    private static String iptables(FamilyRuleset fr) {
        return RestoreScript.install(fr);
    }
}
