package dev.weir.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What {@code weir ...} returned and printed, run in this JVM (the lab's CLI tests use it too). */
public record CliRun(int exit, String out, String err) {

    public static CliRun weir(String... args) {
        return run(null, List.of(args));
    }

    /** {@code weir NAME args...} with this instance of command NAME, e.g. one reading a given stdin. */
    public static CliRun weir(Subcommand command, String... args) {
        return run(command, List.of(args));
    }

    private static CliRun run(Subcommand command, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = command == null ? Main.run(args, o, e) : Main.run(command, args, o, e);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
