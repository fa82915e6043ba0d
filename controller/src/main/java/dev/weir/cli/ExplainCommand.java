package dev.weir.cli;

import dev.weir.explain.Explainer;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.ServiceExplainer;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableHtml;
import dev.weir.explain.TruthTableJson;
import dev.weir.explain.TruthTableText;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.PolicyGraph;
import dev.weir.graph.Reachability;
import dev.weir.k8s.LoadResult;
import dev.weir.k8s.ManifestLoader;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import dev.weir.status.ClusterObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir explain}: reads manifests, compiles them, and prints who may reach whom as truth tables (or one verdict
 * with its reasons). From files, offline, or with {@code --cluster} from the live API server; never the kernel.
 */
@Command(name = "explain", sortOptions = false,
        customSynopsis = {
            "weir explain [-f] FILE|DIR|- ... [--ports 80,81] [--protocols TCP,UDP,SCTP] [-o text|json|html]",
            "       weir explain [-f] FILE|DIR|- ... --from NS/POD|IP --to NS/POD|IP [--port 80] [--protocol TCP]",
            "       weir explain --cluster [--kubeconfig FILE] [--context NAME] [the flags above]"},
        description = {"Show which pods may reach which, and why, from manifests (offline) or the live cluster.", "",
            "Reads Namespace, Pod, Node, NetworkPolicy and ClusterNetworkPolicy manifests (multi-document YAML, "
                    + "JSON, kind: List as printed by `kubectl get ns,pods,netpol -A -o yaml`; DIR means every "
                    + "*.yaml, *.yml, *.json in it; - is stdin) and prints, per port and protocol, a truth table: "
                    + "rows are sources, columns destinations, '.' allowed, 'X' denied. With --from/--to it prints "
                    + "one verdict with the policies and rules behind it. -o html prints one self-contained page "
                    + "(a colour grid per port and protocol, a cell's reasons on hover and click, a filter by "
                    + "namespace) to save and open in a browser.",
            "",
            "With --cluster (or as `kubectl weir explain`) the same objects are read from the API server through "
                    + "the kubeconfig, as kubectl reads them, instead of files.",
            "",
            "Notes (assumptions, skipped objects) and rejected objects go to stderr."},
        footer = {"", "Exit status: 0 all objects accepted, 1 some object was rejected (output still printed), "
                + "2 bad usage."})
public final class ExplainCommand implements Subcommand {

    @Mixin
    private ManifestFiles manifests;

    @Option(names = "--cluster", description = "read the live cluster through the kubeconfig instead of files "
            + "(what `kubectl weir explain` does)")
    private boolean cluster;

    @Mixin
    private ClusterAccess access;

    @Option(names = {"--ports", "--port"}, split = ",", paramLabel = "PORT",
            description = "ports to evaluate (default: every port some pod declares; 80 if none)")
    private List<Integer> ports = new ArrayList<>();

    @Option(names = {"--protocols", "--protocol"}, split = ",", paramLabel = "PROTOCOL",
            description = "TCP, UDP, SCTP, case-insensitive (default: those pods declare; TCP if none)")
    private List<Protocol> protocols = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "text|json|html", defaultValue = "text",
            description = "output format (default ${DEFAULT-VALUE}; json and html are described in docs/explain.md)")
    private String format;

    @Option(names = "--from", paramLabel = "NS/POD|IP", description = "a single pair: namespace/pod, or an IP "
            + "address (a client or service outside the cluster, or a node; only the pod's side is judged)")
    private String from;

    @Option(names = "--to", paramLabel = "NS/POD|IP", description = "the single pair's other end, as --from")
    private String to;

    @Option(names = "--family", paramLabel = "ipv4|ipv6", description = "judge packets of this family only "
            + "(dual-stack); default: per pair, the first family both pods have, IPv4 before IPv6")
    private String familyName;

    private final InputStream stdin;

    public ExplainCommand() {
        this(System.in);
    }

    /** For tests: {@code -} reads this stream. */
    public ExplainCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public int run(PrintStream out, PrintStream err) {
        if (cluster) {
            Main.UsageException.check(!manifests.any(), "--cluster reads the cluster; leave out FILE, DIR and -f");
        } else {
            Main.UsageException.check(!access.given(), "--kubeconfig and --context go with --cluster");
            manifests.requireSome();
        }
        Main.UsageException.check(List.of("text", "json", "html").contains(format),
                "-o wants text, json or html, got \"%s\"", format);
        boolean service = to != null && to.startsWith("svc/");
        boolean single = from != null || to != null;
        Main.UsageException.check(service || !single || (from != null && to != null),
                "--from and --to go together (only --to svc/NS/NAME may stand alone)");
        Main.UsageException.check(!single || !format.equals("html"), "-o html draws the whole table; leave out "
                + "--from and --to (clicking a cell of the page shows that pair's reasons)");
        ports.forEach(n -> Main.UsageException.check(n >= 1 && n <= 65535, "port %d out of range 1-65535", n));
        IpFamily family = family(familyName);

        LoadResult loaded = cluster ? fromCluster(err) : manifests.load(stdin, err);
        Reachability reachability = new Reachability(PolicyCompiler.compile(loaded.snapshot()));
        List<String> finished = reachability.graph().endpoints().values().stream().filter(e -> e.phase().terminal())
                .map(e -> e.key().namespacedName()).toList();
        if (!finished.isEmpty()) {
            err.println("note: pods in phase Succeeded or Failed are left out of the tables: "
                    + String.join(", ", finished));
        }
        reachability.graph().displaced().forEach((pod, d) -> d.heldBy().forEach((address, holder) -> err.println(
                "note: " + address + " is claimed by " + pod + " and " + holder + "; " + holder + " holds it, and "
                        + pod + " is judged without it")));
        if (service) {
            return explainService(reachability, loaded, out, err) | (loaded.hasRejections() ? 1 : 0);
        }
        List<PortProtocol> targets = targets(reachability, ports, protocols, err);
        if (single) {
            Endpoint src = end(reachability, from, err);
            Endpoint dst = end(reachability, to, err);
            String fromName = Reachability.name(src);
            String toName = Reachability.name(dst);
            // an address end fixes the family: its own
            IpFamily pairFamily = family != null ? family
                    : Stream.of(src, dst).filter(Reachability::isOutside).map(e -> e.ips().get(0).family())
                            .findFirst().orElse(null);
            TruthTable table = Explainer.pair(reachability, src, dst, targets, pairFamily);
            if (format.equals("json")) {
                out.print(TruthTableJson.write(table, loaded.notes()));
            } else {
                for (PortProtocol t : targets) {
                    TruthTable.Cell c = table.cell(fromName, toName, t).orElse(null);
                    if (c == null) {
                        out.println(fromName + " -> " + toName + " " + t + ": no " + pairFamily
                                + " address on both ends");
                    } else {
                        out.print(Explainer.explain(fromName, toName, t, c));
                    }
                }
            }
        } else {
            TruthTable table = Explainer.table(reachability, Explainer.livePods(reachability.graph()), targets,
                    family, !format.equals("text"));
            if (format.equals("json")) {
                out.print(TruthTableJson.write(table, loaded.notes()));
            } else if (format.equals("html")) {
                out.print(TruthTableHtml.explain(table, loaded.notes(),
                        loaded.diagnostics().stream().map(Diagnostic::toString).toList()));
            } else {
                loaded.notes().stream().filter(n -> n.startsWith("pods without status.podIP"))
                        .forEach(n -> out.println("# note: " + n));
                if (table.pods().isEmpty()) {
                    out.println("# no pods in the manifests");
                }
                out.print(TruthTableText.render(table));
            }
        }
        return loaded.hasRejections() ? 1 : 0;
    }

    /**
     * {@code --to svc/NS/NAME}: every endpoint kube-proxy's rules may send the client's packet to, with the verdict
     * for the packet that endpoint receives ({@link ServiceExplainer}). {@code --from NS/POD} goes through the cluster
     * IP, {@code --from IP} (a client outside the cluster) through each node's node port; without {@code --from}, the
     * table of every pod through the cluster IP.
     */
    private int explainService(Reachability reachability, LoadResult loaded, PrintStream out, PrintStream err) {
        String[] parts = to.substring("svc/".length()).split("/", -1);
        Main.UsageException.check(parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty(),
                "--to svc/NS/NAME names a Service, got \"%s\"", to);
        String key = parts[0] + "/" + parts[1];
        dev.weir.model.Service svc = loaded.services().stream().filter(x -> x.key().equals(key)).findFirst()
                .orElseThrow(() -> new Main.UsageException("no Service " + key + " in the manifests (Services: "
                        + String.join(", ", loaded.services().stream().map(dev.weir.model.Service::key).toList())
                        + ")"));
        List<ServiceExplainer.Client> clients;
        if (from == null) {
            clients = ServiceExplainer.podClients(reachability, Explainer.livePods(reachability.graph()));
        } else if (reachability.graph().endpoint(from) != null) {
            clients = ServiceExplainer.podClients(reachability, List.of(from));
        } else {
            Main.UsageException.check(!from.contains("/") && IpAddress.isValid(from),
                    "no pod %s in the manifests, and not an IP address", from);
            Main.UsageException.check(svc.type() == dev.weir.model.Service.Type.NODE_PORT,
                    "%s is a ClusterIP Service: a client outside the cluster reaches a Service through a node port",
                    key);
            clients = ServiceExplainer.outsideClients(reachability, IpAddress.parse(from),
                    loaded.snapshot().nodes().stream().map(dev.weir.model.Node::name).toList());
        }
        List<String> missing = loaded.snapshot().nodes().stream().map(dev.weir.model.Node::name)
                .filter(n -> !loaded.masquerade().containsKey(n)).toList();
        if (!missing.isEmpty()) {
            err.println("note: no address is known that these nodes masquerade to (no InternalIP, and no flannel "
                    + "VXLAN pod CIDR): " + String.join(", ", missing));
        }
        TruthTable table = ServiceExplainer.table(reachability, svc, loaded.masquerade(), clients);
        if (format.equals("json")) {
            out.print(TruthTableJson.write(table, loaded.notes()));
        } else if (format.equals("html")) {
            out.print(TruthTableHtml.explain(table, loaded.notes(),
                    loaded.diagnostics().stream().map(Diagnostic::toString).toList()));
        } else if (from == null) {
            for (PortProtocol t : table.targets()) {
                out.println(TruthTableText.renderPresent(table, t));
                out.println();
            }
        } else {
            for (TruthTable.Entry e : table.entries()) {
                out.println(e.from() + " -> svc/" + key + " " + e.target() + " -> " + e.to() + ": "
                        + (e.cell().allowed() ? "allowed" : "denied"));
                e.cell().reasons().forEach(r -> out.println("  " + r));
            }
            if (table.entries().isEmpty()) {
                out.println(from + " -> svc/" + key + ": no endpoint");
            }
        }
        return 0;
    }

    /**
     * The cluster's Namespaces, Pods, Nodes, NetworkPolicies and ClusterNetworkPolicies, read through the kubeconfig
     * and loaded as one manifest of them would be: the same translation, notes and rejections as files.
     */
    private LoadResult fromCluster(PrintStream err) {
        io.fabric8.kubernetes.client.Config config = access.config();
        ClusterObjects objects;
        try (KubernetesClient client = access.client(config)) {
            objects = ClusterObjects.read(client, false);
        }
        objects.notes().forEach(n -> err.println("note: " + n));
        return ManifestFiles.said(ManifestLoader.load("cluster " + config.getMasterUrl(), objects.explainManifest()),
                err);
    }

    /**
     * One end of {@code --from}/{@code --to}: a pod as {@code ns/name}, or an IP address. An address that is a pod's
     * IP stands for that pod (said on stderr); any other address is an end outside the pods, a node's when a Node
     * holds it ({@link Reachability#outside}).
     */
    private static Endpoint end(Reachability reachability, String text, PrintStream err) {
        PolicyGraph graph = reachability.graph();
        Endpoint pod = graph.endpoint(text);
        if (pod != null) {
            return pod;
        }
        Main.UsageException.check(!text.contains("/") && IpAddress.isValid(text),
                "no pod %s in the manifests, and not an IP address (pods: %s)", text,
                String.join(", ", graph.endpoints().keySet()));
        IpAddress address = IpAddress.parse(text);
        Optional<Endpoint> holder = graph.endpoints().values().stream()
                .filter(e -> e.isPolicyEndpoint() && e.ips().contains(address)).findFirst();
        if (holder.isPresent()) {
            err.println("note: " + text + " is the address of pod " + holder.get().key().namespacedName()
                    + "; judging that pod");
            return holder.get();
        }
        return reachability.outside(address);
    }

    private static IpFamily family(String f) {
        if (f == null) {
            return null;
        }
        return switch (f.toLowerCase(java.util.Locale.ROOT)) {
            case "ipv4", "v4", "4" -> IpFamily.V4;
            case "ipv6", "v6", "6" -> IpFamily.V6;
            default -> throw new Main.UsageException("--family wants ipv4 or ipv6, got \"" + f + "\"");
        };
    }

    /**
     * The (port, protocol) pairs to evaluate. Unless both are given, the defaults come from what pods declare: with
     * neither flag every declared pair; with one flag, that flag crossed with the other's declared values.
     */
    private static List<PortProtocol> targets(Reachability r, List<Integer> ports, List<Protocol> protocols,
            PrintStream err) {
        List<PortProtocol> declared = Explainer.declaredTargets(r.graph());
        if (ports.isEmpty() && protocols.isEmpty()) {
            if (declared.isEmpty()) {
                err.println("note: no pod declares a container port; evaluating 80/TCP");
                return List.of(PortProtocol.tcp(80));
            }
            return declared;
        }
        List<Integer> ps = ports.isEmpty()
                ? declared.stream().map(PortProtocol::port).distinct().toList() : ports;
        List<Protocol> prs = protocols.isEmpty()
                ? declared.stream().map(PortProtocol::protocol).distinct().toList() : protocols;
        ps = ps.isEmpty() ? List.of(80) : ps;
        prs = prs.isEmpty() ? List.of(Protocol.TCP) : prs;
        java.util.TreeSet<PortProtocol> out = new java.util.TreeSet<>();
        for (int p : ps) {
            for (Protocol pr : prs) {
                out.add(new PortProtocol(p, pr));
            }
        }
        return new ArrayList<>(out);
    }
}
