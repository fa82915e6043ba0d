package dev.weir.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** {@code weir}: dispatches to the subcommands found on the class path. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs {@code weir args...}; returns the exit code (tests call this instead of {@link #main}). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands();
        if (args.isEmpty() || List.of("help", "-h", "--help").contains(args.get(0))) {
            printHelp(commands, args.isEmpty() ? err : out);
            return args.isEmpty() ? 2 : 0;
        }
        Command c = commands.get(args.get(0));
        if (c == null) {
            err.println("weir: unknown command \"" + args.get(0) + "\"");
            printHelp(commands, err);
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("-h") || rest.contains("--help")) {
            out.println(c.usage());
            return 0;
        }
        try {
            return c.run(rest, out, err);
        } catch (UsageException e) {
            err.println("weir " + c.name() + ": " + e.getMessage());
            err.println(c.usage());
            return 2;
        } catch (Exception e) {
            err.println("weir " + c.name() + ": " + e);
            return 1;
        }
    }

    /** Every command on the class path by name. */
    public static Map<String, Command> commands() {
        Map<String, Command> out = new TreeMap<>();
        ServiceLoader.load(Command.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(Command::name)).forEach(c -> out.put(c.name(), c));
        return out;
    }

    private static void printHelp(Map<String, Command> commands, PrintStream s) {
        s.println("usage: weir COMMAND [ARGS...]   (weir COMMAND --help for details)");
        s.println();
        int w = commands.keySet().stream().mapToInt(String::length).max().orElse(8);
        commands.values().forEach(c -> s.printf("  %-" + w + "s  %s%n", c.name(), c.summary()));
    }

    /** Thrown by a command for bad arguments; printed with the command's usage, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }

        public static void check(boolean ok, String message, Object... args) {
            if (!ok) {
                throw new UsageException(String.format(message, args));
            }
        }
    }

    /** Splits {@code a,b,c} lists as flags take them. */
    public static List<String> csv(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
