package dev.weir.lab.cli;

import dev.weir.cli.Main;
import dev.weir.cli.Subcommand;
import dev.weir.lab.state.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/**
 * {@code weir lab kubectl ...} runs the real kubectl against the lab (adding {@code --kubeconfig}, and
 * {@code --validate=false} for apply/create: the mock serves no OpenAPI); {@link LabObjects} does apply, delete and
 * label through fabric8 for machines without kubectl.
 */
@Command(name = "kubectl", customSynopsis = "weir lab kubectl [--state-dir DIR] ARGS...",
        description = {"kubectl with --kubeconfig filled in (and --validate=false for apply/create).", "",
            "Every argument but --state-dir goes to kubectl, --help included."})
final class LabKubectl implements Subcommand {

    @Mixin
    LabSupport.StateDir state;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        return kubectl(state.store(), args, null, err);
    }

    /** Runs kubectl on the lab; with {@code out} its output is copied there instead of inherited. */
    static int kubectl(StateStore store, List<String> args, PrintStream out, PrintStream err) throws Exception {
        Main.UsageException.check(Files.exists(store.kubeconfig()), "no lab kubeconfig in %s (is the lab up?)",
                store.dir());
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", store.kubeconfig().toString()));
        argv.addAll(withValidateOff(args));
        try {
            if (out == null) {
                return new ProcessBuilder(argv).inheritIO().start().waitFor();
            }
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            p.getInputStream().transferTo(out);
            return p.waitFor();
        } catch (IOException e) {
            err.println("weir lab kubectl: cannot run kubectl (" + e.getMessage() + "); use weir lab apply|delete|label");
            return 1;
        }
    }

    /** kubectl fails to download OpenAPI from the mock unless told not to validate. */
    static List<String> withValidateOff(List<String> args) {
        List<String> out = new ArrayList<>(args);
        boolean writes = !args.isEmpty() && (args.get(0).equals("apply") || args.get(0).equals("create")
                || args.get(0).equals("replace"));
        if (writes && args.stream().noneMatch(a -> a.startsWith("--validate"))) {
            out.add(1, "--validate=false");
        }
        return out;
    }
}
