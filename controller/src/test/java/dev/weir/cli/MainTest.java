package dev.weir.cli;

import static dev.weir.cli.CliRun.weir;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code weir} itself: the generated help, the exit codes of usage mistakes, completion. */
class MainTest {

    @Test
    void helpListsEveryCommandWithItsSummary() {
        CliRun r = weir("--help");

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
        CliRun explain = weir("explain", "--help");
        assertThat(explain.exit()).isZero();
        assertThat(explain.out()).contains("weir explain [-f] FILE|DIR|- ...", "--port, --ports=PORT",
                "--protocol, --protocols=PROTOCOL", "-o, --output=text|json", "--from=NS/POD|IP", "--to=NS/POD|IP",
                "--family=ipv4|ipv6", "Exit status: 0 all objects accepted");
        assertThat(weir("help", "render").out()).contains("--node=NAME", "--only=WHAT", "--mark-mask=M");
        assertThat(weir("cleanup", "-h").out()).contains("--netns=NAME", "--iptables-backend=B");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        CliRun none = weir();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("weir: which command?").contains("Usage: weir");

        CliRun unknown = weir("explian");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument at index 0: 'explian'", "Did you mean: weir explain");
    }

    @Test
    void aMistakeFoundAfterParsingIsAUsageErrorWithTheCommandsUsage() {
        CliRun r = weir("render", "-");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("weir render: --node NAME is required").contains("Usage: weir render");
    }

    @Test
    void generatesBashCompletionForTheWholeTree() {
        CliRun r = weir("generate-completion");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F _complete_weir", "--resync-interval", "--from");
    }
}
