package dev.weir.cli;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.iptables.render.FamilyRuleset;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.IptablesRenderer;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import dev.weir.k8s.LoadResult;
import dev.weir.k8s.ManifestLoader;
import dev.weir.model.Diagnostic;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code weir render --node NAME}: the ipsets and iptables chains the agent would program on one node, from
 * manifests, as the exact payloads it hands to {@code ipset restore} and {@code iptables-restore --noflush}. Offline:
 * nothing is applied.
 */
public final class RenderCommand implements Command {

    private static final Set<String> VALUED = Set.of("-f", "--filename", "--node", "--only", "--mark-mask");
    private static final List<String> SECTIONS = List.of("ipset", "iptables", "ip6tables");

    private final InputStream stdin;

    public RenderCommand() {
        this(System.in);
    }

    /** For tests: {@code -} reads this stream. */
    public RenderCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public String name() {
        return "render";
    }

    @Override
    public String summary() {
        return "print the ipsets and iptables rules weir would program on a node (offline)";
    }

    @Override
    public String usage() {
        return """
                usage: weir render --node NAME [-f] FILE|DIR|- ... [--only ipset|iptables|ip6tables]

                Reads Namespace, Pod, Node, NetworkPolicy and ClusterNetworkPolicy manifests (as `weir explain`
                does) and prints what the agent on node NAME would program: the `ipset restore` payload, then the
                `iptables-restore --noflush` payload for the IPv4 filter table, then the IPv6 one when the node has
                IPv6 rules. Sections start with a `#` header line. The iptables payloads insert the three hooks
                (FORWARD, INPUT, OUTPUT) at position 1; the agent inserts them only when missing.

                  --node NAME   the node (spec.nodeName of its pods)
                  --only WHAT   print one payload without headers, ready to pipe into its tool
                  --mark-mask M the packet-mark bits weir may use, as the agent's --mark-mask (default
                                0xf00000; the four lowest set bits are used)

                Notes and rejected objects go to stderr.
                Exit status: 0 all objects accepted, 1 some object was rejected (output still printed), 2 bad usage.""";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, VALUED, Set.of());
        List<String> sources = new ArrayList<>(args.values("-f"));
        sources.addAll(args.values("--filename"));
        sources.addAll(args.positional());
        Main.UsageException.check(!sources.isEmpty(), "give at least one FILE, DIR or - (stdin)");
        String node = args.value("--node").orElseThrow(() -> new Main.UsageException("--node NAME is required"));
        String only = args.value("--only").orElse(null);
        Main.UsageException.check(only == null || SECTIONS.contains(only),
                "--only wants one of %s, got \"%s\"", String.join(", ", SECTIONS), only);
        RenderOptions options = RenderOptions.defaults();
        if (args.has("--mark-mask")) {
            try {
                options = RenderOptions.parseMask(args.value("--mark-mask").orElseThrow());
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--mark-mask: " + e.getMessage());
            }
        }

        LoadResult loaded = ManifestLoader.load(sources, stdin);
        loaded.notes().forEach(n -> err.println("note: " + n));
        for (Diagnostic d : loaded.diagnostics()) {
            err.println("rejected: " + d);
        }
        PolicyGraph graph = PolicyCompiler.compile(loaded.snapshot());
        if (graph.endpointsOn(node).isEmpty()) {
            err.println("note: no pod in the manifests runs on node " + node
                    + "; printing the chains of a node without selected pods");
        }
        Ruleset rs = IptablesRenderer.render(graph, node, options);
        if (only != null) {
            out.print(switch (only) {
                case "ipset" -> IpsetScript.install(rs.sets());
                case "iptables" -> iptables(rs.v4());
                default -> iptables(rs.v6());
            });
        } else {
            out.println("# weir render --node " + node + ": " + rs.sets().size() + " ipsets, "
                    + rs.v4().chains().size() + " IPv4 chains, " + rs.v6().chains().size() + " IPv6 chains");
            out.println("# ipset restore");
            out.print(IpsetScript.install(rs.sets()));
            out.println("# iptables-restore --noflush (IPv4 filter table)");
            out.print(iptables(rs.v4()));
            if (!rs.v6().chains().isEmpty()) {
                out.println("# ip6tables-restore --noflush (IPv6 filter table)");
                out.print(iptables(rs.v6()));
            }
        }
        return loaded.hasRejections() ? 1 : 0;
    }

    private static String iptables(FamilyRuleset fr) {
        return RestoreScript.install(fr);
    }
}
