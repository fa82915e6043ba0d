package dev.weir.cli;

import dev.weir.agent.AgentConfig;
import dev.weir.iptables.apply.ApplyReport;
import dev.weir.iptables.apply.BackendSelection;
import dev.weir.iptables.apply.Cleanup;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.sys.NetworkNamespace;
import java.io.PrintStream;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir cleanup}: removes every weir hook, chain and ipset from a node (both families, and the bridge table's
 * layer-2 chains when ebtables is installed), and nothing else.
 */
@Command(name = "cleanup",
        description = {"Remove every weir iptables hook, chain and ipset from this node (or a netns).", "",
            "Removes the jumps weir inserted into built-in chains, every WEIR-* chain of the filter table "
                + "(IPv4 and IPv6) and of the ebtables nat table (layer-2 anti-spoofing; skipped when ebtables is "
                + "not installed) and every weir-* ipset. Rules and sets weir does not own are never touched. Run "
                + "it after the agent has stopped, or the agent puts its rules back at its next sync."})
public final class CleanupCommand implements Subcommand {

    @Option(names = "--netns", paramLabel = "NAME",
            description = "work in /run/netns/NAME instead of this host's namespace")
    private String netns;

    @Option(names = "--iptables-backend", paramLabel = "B", defaultValue = "auto",
            description = "auto (default: the backend with the node's rules), nft or legacy")
    private AgentConfig.Backend backendMode;

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        String mode = backendMode.name().toLowerCase(Locale.ROOT);
        NetworkNamespace ns = netns == null ? NetworkNamespace.host() : NetworkNamespace.named(netns);
        try (ns; NamespaceCommandRunner runner = new NamespaceCommandRunner(ns)) {
            BackendSelection backend = BackendSelection.of(mode, runner);
            out.println("netns " + ns + ", " + backend);
            ApplyReport r = new Cleanup(runner, backend.backend()).run();
            out.printf("removed: IPv4 %d hooks, %d chains; IPv6 %d hooks, %d chains; bridge %d hooks, %d chains; "
                    + "%d ipsets%n", r.v4().hooksRemoved(), r.v4().chainsDeleted().size(), r.v6().hooksRemoved(),
                    r.v6().chainsDeleted().size(), r.bridge().hooksRemoved(), r.bridge().chainsDeleted().size(),
                    r.setsDestroyed().size());
            return 0;
        }
    }
}
