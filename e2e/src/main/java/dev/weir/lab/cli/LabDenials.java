package dev.weir.lab.cli;

import dev.weir.agent.Durations;
import dev.weir.agent.denials.DenialRecord;
import dev.weir.cli.Main;
import dev.weir.cli.Subcommand;
import dev.weir.lab.denials.DenialLogFiles;
import dev.weir.lab.denials.DenialLogTail;
import dev.weir.lab.denials.DenialText;
import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.topology.LabPlan;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir lab denials}: the records the lab's agents wrote to their files in the state directory
 * ({@link DenialLogFiles}), oldest first: one line each in words, or the agents' JSON lines as written.
 */
@Command(name = "denials", sortOptions = false,
        description = {"The denied-traffic records the lab's agents wrote (docs/denials.md), oldest first, newest last.",
            "", "-o text: one line per record: time, node, from -> to, port/protocol, outcome, the decision in "
                + "explain's words, packets. -o json: the records as JSON lines, exactly as the agents wrote them."})
final class LabDenials implements Subcommand {

    @Option(names = "-o", paramLabel = "text|json", defaultValue = "text",
            description = "output format (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--since", paramLabel = "D",
            description = "only records of the last D (300ms, 30s, 5m; default: all since the lab came up)")
    Duration since;

    @Option(names = "--node", paramLabel = "N", description = "only the records of node N")
    String node;

    @Mixin
    LabSupport.StateDir state;

    @Override
    public int run(PrintStream out, PrintStream err) {
        Main.UsageException.check(List.of("text", "json").contains(format), "-o wants text or json, got \"%s\"",
                format);
        Main.UsageException.check(since == null || !since.isNegative() && !since.isZero(),
                "--since wants a positive duration");
        StateStore store = state.store();
        Optional<LabState> lab = store.read();
        if (node != null && lab.isPresent()) {
            List<String> nodes = lab.get().plan().nodes().stream().map(LabPlan.NodePlan::name).toList();
            Main.UsageException.check(nodes.contains(node), "--node %s: the lab's nodes are %s", node,
                    String.join(", ", nodes));
        }
        Instant cutoff = since == null ? Instant.MIN : Instant.now().minus(since);
        List<DenialLogTail.Entry> entries = new DenialLogTail(store, Clock.systemUTC(),
                problem -> err.println("weir lab denials: " + problem)).poll().stream()
                .filter(e -> node == null || e.record().node().equals(node))
                .filter(e -> !e.record().time().isBefore(cutoff))
                .sorted(Comparator.comparing(e -> e.record().time()))
                .toList();
        if (format.equals("json")) {
            entries.forEach(e -> out.println(e.line()));
        } else {
            List<DenialRecord> records = entries.stream().map(DenialLogTail.Entry::record).toList();
            DenialText.lines(records).forEach(out::println);
        }
        if (entries.isEmpty()) {
            err.println("weir lab denials: no records" + (since == null ? "" : " of the last " + Durations.format(since)) + " in "
                    + store.dir() + why(lab));
        }
        return 0;
    }

    private static String why(Optional<LabState> lab) {
        if (lab.isEmpty()) {
            return " (no lab is up there; the files of the last one are kept after down)";
        }
        return lab.get().agents().isEmpty() ? " (the lab runs no agents, so nothing is enforced or recorded)" : "";
    }
}
