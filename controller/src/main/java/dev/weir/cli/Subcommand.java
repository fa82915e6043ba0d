package dev.weir.cli;

import java.io.PrintStream;

/**
 * One {@code weir} subcommand: a picocli {@code @Command} class whose fields picocli fills from the arguments before
 * {@link Main} calls {@link #run}. The top-level ones are found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.weir.cli.Subcommand}), so modules further down the build (the lab in {@code e2e/}) add
 * commands without the controller knowing them; nested ones (the lab's verbs) are named in their parent's annotation.
 */
public interface Subcommand {

    /**
     * Runs the command and returns the process exit code: 0 success, 1 the command ran but found a problem the user
     * should act on (for example a rejected object). A {@link Main.UsageException} is bad usage (exit 2).
     */
    int run(PrintStream out, PrintStream err) throws Exception;
}
