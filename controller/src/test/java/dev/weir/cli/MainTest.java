package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code weir} itself: the generated help, the exit codes of usage mistakes, completion. */
class MainTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run weir(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandWithItsSummary() {
        Run r = weir("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: weir [-h] COMMAND",
                "agent ", "Run the node agent",
                "cleanup ", "Remove every weir iptables hook",
                "explain ", "Show which pods may reach which",
                "render ", "Print the ipsets and iptables rules",
                "help ", "generate-completion ");
        assertThat(weir("help").out()).isEqualTo(r.out());
    }

    @Test
    void helpOfACommandListsItsFlags() {
        Run explain = weir("explain", "--help");
        assertThat(explain.exit()).isZero();
        assertThat(explain.out()).contains("weir explain [-f] FILE|DIR|- ...", "--port, --ports=PORT",
                "--protocol, --protocols=PROTOCOL", "-o, --output=text|json", "--from=NS/POD|IP", "--to=NS/POD|IP",
                "--family=ipv4|ipv6", "Exit status: 0 all objects accepted");
        assertThat(weir("help", "render").out()).contains("--node=NAME", "--only=WHAT", "--mark-mask=M");
        assertThat(weir("cleanup", "-h").out()).contains("--netns=NAME", "--iptables-backend=B");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        Run none = weir();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("weir: which command?").contains("Usage: weir");

        Run unknown = weir("explian");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument at index 0: 'explian'", "Did you mean: weir explain");
    }

    @Test
    void aMistakeFoundAfterParsingIsAUsageErrorWithTheCommandsUsage() {
        Run r = weir("render", "-");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("weir render: --node NAME is required").contains("Usage: weir render");
    }

    @Test
    void generatesBashCompletionForTheWholeTree() {
        Run r = weir("generate-completion");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F _complete_weir", "--resync-interval", "--from");
    }
}
