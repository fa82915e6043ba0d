package dev.weir.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code weir} subcommand. Implementations are found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.weir.cli.Command}), so modules further down the build (the lab in {@code e2e/}) add
 * commands without the controller knowing them.
 */
public interface Command {

    /** The word after {@code weir}, e.g. {@code explain}. */
    String name();

    /** One line for {@code weir help}. */
    String summary();

    /** Full usage text for {@code weir NAME --help}. */
    String usage();

    /**
     * Runs the command and returns the process exit code: 0 success, 1 the command ran but found a problem the user
     * should act on (for example a rejected object), 2 bad usage.
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
