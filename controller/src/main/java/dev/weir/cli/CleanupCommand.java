package dev.weir.cli;

import dev.weir.iptables.apply.ApplyReport;
import dev.weir.iptables.apply.BackendSelection;
import dev.weir.iptables.apply.Cleanup;
import dev.weir.iptables.apply.NamespaceCommandRunner;
import dev.weir.iptables.sys.NetworkNamespace;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code weir cleanup}: removes every weir hook, chain and ipset from a node (both families), and nothing else. */
public final class CleanupCommand implements Command {

    @Override
    public String name() {
        return "cleanup";
    }

    @Override
    public String summary() {
        return "remove every weir iptables hook, chain and ipset from this node (or a netns)";
    }

    @Override
    public String usage() {
        return """
                usage: weir cleanup [--netns NAME] [--iptables-backend auto|nft|legacy]

                Removes the jumps weir inserted into built-in chains, every WEIR-* chain of the filter table (IPv4 and
                IPv6) and every weir-* ipset. Rules and sets weir does not own are never touched. Run it after the
                agent has stopped, or the agent puts its rules back at its next sync.

                  --netns NAME             work in /run/netns/NAME instead of this host's namespace
                  --iptables-backend B     auto (default: the backend with the node's rules), nft or legacy
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(args, Set.of("--netns", "--iptables-backend"), Set.of());
        Main.UsageException.check(a.positional().isEmpty(), "unexpected argument %s", a.positional());
        String mode = a.value("--iptables-backend", "auto");
        Main.UsageException.check(List.of("auto", "nft", "legacy").contains(mode),
                "--iptables-backend must be auto, nft or legacy, not %s", mode);
        NetworkNamespace ns = a.value("--netns").map(NetworkNamespace::named).orElse(NetworkNamespace.host());
        try (ns; NamespaceCommandRunner runner = new NamespaceCommandRunner(ns)) {
            BackendSelection backend = BackendSelection.of(mode, runner);
            out.println("netns " + ns + ", " + backend);
            ApplyReport r = new Cleanup(runner, backend.backend()).run();
            out.printf("removed: IPv4 %d hooks, %d chains; IPv6 %d hooks, %d chains; %d ipsets%n",
                    r.v4().hooksRemoved(), r.v4().chainsDeleted().size(), r.v6().hooksRemoved(),
                    r.v6().chainsDeleted().size(), r.setsDestroyed().size());
            return 0;
        }
    }
}
