package dev.weir.cli;

import dev.weir.agent.Durations;
import dev.weir.iptables.render.RenderOptions;
import dev.weir.model.Protocol;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code weir}: the picocli command tree of every {@link Subcommand} on the class path. Exit codes: 0 success, 1 the
 * command found a problem (or failed), 2 bad usage (picocli's parse errors and {@link UsageException}).
 */
@Command(name = "weir", description = "A Kubernetes NetworkPolicy and ClusterNetworkPolicy enforcer.",
        synopsisSubcommandLabel = "COMMAND", subcommands = HelpCommand.class,
        footer = "%nweir COMMAND --help shows a command's flags.")
public final class Main implements Subcommand {

    /** An option default of this form reads the environment variable: the flag wins, then the variable. */
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(\\w+)");

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs {@code weir args...}; returns the exit code (tests call this instead of {@link #main}). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return execute(commandLine(), args, out, err);
    }

    /** Runs {@code weir NAME args...} with this instance of command NAME (tests that hand it a stdin). */
    public static int run(Subcommand command, List<String> args, PrintStream out, PrintStream err) {
        CommandLine c = new CommandLine(command);
        List<String> argv = new ArrayList<>(List.of(c.getCommandName()));
        argv.addAll(args);
        return execute(configure(new CommandLine(new Main()).addSubcommand(c)), argv, out, err);
    }

    /** The whole tree: {@code weir}, {@code help}, {@code generate-completion} and every command on the class path. */
    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new Main());
        ServiceLoader.load(Subcommand.class).stream().map(p -> new CommandLine(p.get()))
                .sorted(Comparator.comparing(CommandLine::getCommandName)).forEach(root::addSubcommand);
        root.addSubcommand(new AutoComplete.GenerateCompletion());
        return configure(root);
    }

    /**
     * What every command shares: {@code -h/--help} (except on commands that pass unknown arguments on, like
     * {@code weir lab kubectl}), one converter each for durations ({@link Durations#parse}: the agent's and the lab's
     * flags), mark masks and protocols, case-insensitive enum values.
     */
    static CommandLine configure(CommandLine c) {
        addHelpOption(c);
        c.registerConverter(Duration.class, Durations::parse);
        c.registerConverter(RenderOptions.class, RenderOptions::parseMask);
        c.registerConverter(Protocol.class, Protocol::parse);
        c.setCaseInsensitiveEnumValuesAllowed(true);
        c.setUsageHelpWidth(100);
        return c;
    }

    private static void addHelpOption(CommandLine c) {
        CommandSpec spec = c.getCommandSpec();
        if (spec.findOption("--help") == null && !spec.parser().unmatchedArgumentsAllowed()
                && spec.unmatchedArgsBindings().isEmpty()) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        c.getSubcommands().values().forEach(Main::addHelpOption);
    }

    private static int execute(CommandLine c, List<String> args, PrintStream out, PrintStream err) {
        c.setOut(new PrintWriter(out, true));
        c.setErr(new PrintWriter(err, true));
        c.setExecutionStrategy(parsed -> runLast(parsed, out, err));
        c.setParameterExceptionHandler((e, argv) -> usageError(e, List.of(argv), err));
        c.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + e);
            return 1;
        });
        return c.execute(args.toArray(String[]::new));
    }

    /** Help if asked for, else the last command named runs; one that only groups others wants one of them. */
    private static int runLast(ParseResult parsed, PrintStream out, PrintStream err) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        List<CommandLine> chain = parsed.asCommandLineList();
        CommandLine last = chain.get(chain.size() - 1);
        try {
            if (last.getCommand() instanceof Runnable r) { // picocli's generate-completion
                r.run();
                return 0;
            }
            return ((Subcommand) last.getCommand()).run(out, err);
        } catch (UsageException e) {
            throw new ParameterException(last, e.getMessage(), e);
        } catch (ParameterException | CommandLine.ExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandLine.ExecutionException(last, e.toString(), e);
        }
    }

    @Override
    public int run(PrintStream out, PrintStream err) {
        throw new UsageException("which command?");
    }

    /** The mistake on one line, naming where a bad value came from, then the command's usage; exit code 2. */
    private static int usageError(ParameterException e, List<String> args, PrintStream err) {
        CommandLine c = e.getCommandLine();
        String message = e.getMessage();
        if (e.getArgSpec() instanceof OptionSpec o && (e.getCause() instanceof TypeConversionException
                || e.getCause() instanceof IllegalArgumentException)) {
            message = origin(o, args) + ": " + e.getCause().getMessage();
        }
        err.println(c.getCommandSpec().qualifiedName() + ": " + message);
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        c.usage(err);
        return c.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * The flag if the arguments give it, else the environment variable its {@code ${env:VAR}} default read, else
     * {@code --flag default}.
     */
    static String origin(OptionSpec o, List<String> args) {
        Optional<String> given = Arrays.stream(o.names())
                .filter(n -> args.stream().anyMatch(a -> a.equals(n) || a.startsWith(n + "="))).findFirst();
        return given.or(() -> variable(o).filter(v -> System.getenv(v) != null))
                .orElse(o.longestName() + " default");
    }

    /** The environment variable an option's default reads, if it reads one. */
    static Optional<String> variable(OptionSpec o) {
        if (o.userObject() instanceof Field f && f.getAnnotation(Option.class) != null) {
            Matcher m = ENV_DEFAULT.matcher(f.getAnnotation(Option.class).defaultValue());
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** A mistake in the arguments a command finds after parsing; reported like a parse error, exit code 2. */
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
}
