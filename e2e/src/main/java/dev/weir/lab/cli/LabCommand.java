package dev.weir.lab.cli;

import dev.weir.cli.Main;
import dev.weir.cli.Subcommand;
import dev.weir.lab.LabDaemon;
import dev.weir.lab.LabRequest;
import dev.weir.lab.LabTeardown;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.sys.ProcessRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weir lab VERB}: a cluster on this machine from network namespaces, an embedded API server and real agents. */
@Command(name = "lab", synopsisSubcommandLabel = "VERB",
        description = {"A multi-node cluster in network namespaces on this machine (up, probe, denials, status, down, "
                + "kubectl).",
            "", "Needs root. Every verb takes --state-dir DIR (default: $WEIR_LAB_DIR, else /var/run/weir-lab)."},
        footer = {"", "weir lab VERB --help shows a verb's flags."},
        subcommands = {LabUp.class, LabStatus.class, LabProbe.class, LabDenials.class, LabDemo.class, LabCommand.Kubeconfig.class,
            LabKubectl.class, LabObjects.Apply.class, LabObjects.Delete.class, LabObjects.Label.class,
            LabCommand.Down.class, LabCommand.Serve.class})
public final class LabCommand implements Subcommand {

    @Override
    public int run(PrintStream out, PrintStream err) {
        throw new Main.UsageException("which verb?");
    }

    @Command(name = "down",
            description = "Stop everything and delete every lab namespace (works after a crash too).")
    static final class Down implements Subcommand {
        @Mixin
        LabSupport.StateDir state;

        @Option(names = "--prefix", paramLabel = "P", defaultValue = LabRequest.DEFAULT_PREFIX,
                description = "network namespaces named P* are the lab's (default ${DEFAULT-VALUE})")
        String prefix;

        @Override
        public int run(PrintStream out, PrintStream err) {
            LabSupport.requireRoot();
            new LabTeardown(state.store(), new ProcessRunner()).down(prefix).forEach(out::println);
            return 0;
        }
    }

    @Command(name = "serve", description = "The daemon itself (started by up).")
    static final class Serve implements Subcommand {
        @Mixin
        LabSupport.StateDir state;

        @Override
        public int run(PrintStream out, PrintStream err) throws Exception {
            StateStore store = state.store();
            LabSupport.requireRoot();
            return LabDaemon.serve(store);
        }
    }

    @Command(name = "kubeconfig", description = "Print the path of the lab's kubeconfig.")
    static final class Kubeconfig implements Subcommand {
        @Mixin
        LabSupport.StateDir state;

        @Override
        public int run(PrintStream out, PrintStream err) {
            StateStore store = state.store();
            Main.UsageException.check(Files.exists(store.kubeconfig()), "no lab kubeconfig in %s (is the lab up?)",
                    store.dir());
            out.println(store.kubeconfig());
            return 0;
        }
    }
}
