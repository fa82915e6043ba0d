package dev.weir.lab.cli;

import static dev.weir.cli.CliRun.weir;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.CliRun;
import dev.weir.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code weir lab}'s generated help and its usage errors; none of these needs root or a lab. */
class LabCommandTest {

    @Test
    void helpListsEveryVerb() {
        CliRun r = weir("lab", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: weir lab [-h] VERB", "--state-dir DIR");
        for (String verb : List.of("up", "status", "probe", "denials", "demo", "kubeconfig", "kubectl", "apply", "delete",
                "label", "down", "serve")) {
            assertThat(r.out()).containsPattern("(?m)^  " + verb + " +[A-Za-z]");
        }
        assertThat(weir("--help").out()).contains("lab ", "A multi-node cluster in network namespaces");
    }

    @Test
    void helpOfAVerbListsItsFlags() {
        assertThat(weir("lab", "up", "--help").out()).contains("--nodes=N", "--topology=T", "--backend=B",
                "-f=FILE", "--api-port=PORT", "--agents=MODE", "--prefix=P", "--agent-http-base=PORT",
                "--state-dir=DIR");
        assertThat(weir("lab", "demo", "--help").out()).contains("--settle=D", "(default 15s)", "--save=DIR");
        assertThat(weir("lab", "probe", "--help").out()).contains("--timeout=D", "(default 1000ms)", "--compare",
                "-o=text|json|html", "--denials");
        assertThat(weir("lab", "denials", "--help").out()).contains("-o=text|json", "--since=D", "--node=N",
                "--state-dir=DIR");
    }

    @Test
    void anUnknownOutputFormatIsRefusedBeforeTheLabIsNeeded() {
        CliRun probe = weir("lab", "probe", "--compare", "-o", "yaml");
        assertThat(probe.exit()).isEqualTo(2);
        assertThat(probe.err()).startsWith("weir lab probe: -o wants text, json or html, got \"yaml\"");
    }

    @Test
    void aBadDurationIsRefusedNamingItsFlag() {
        CliRun probe = weir("lab", "probe", "--timeout", "2 seconds");
        assertThat(probe.exit()).isEqualTo(2);
        assertThat(probe.err()).startsWith("weir lab probe: --timeout: \"2 seconds\" is not a duration (write e.g. "
                + "500ms, 30s, 5m, 1h)");

        CliRun demo = weir("lab", "demo", "--settle=soon");
        assertThat(demo.exit()).isEqualTo(2);
        assertThat(demo.err()).startsWith("weir lab demo: --settle: \"soon\"");
    }

    @Test
    void noVerbOrAnUnknownOneIsAUsageError() {
        assertThat(weir("lab").exit()).isEqualTo(2);
        assertThat(weir("lab").err()).startsWith("weir lab: which verb?");
        CliRun unknown = weir("lab", "upp");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("'upp'", "Did you mean: lab up");
    }

    @Test
    void kubectlPassesEveryOtherArgumentOnInOrder() {
        LabKubectl k = new LabKubectl();
        Main.run(k, List.of("--state-dir", "/nonexistent", "get", "pods", "-n", "dev", "-o", "wide", "--help"),
                System.out, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(k.state.dir).isEqualTo("/nonexistent");
        assertThat(k.args).containsExactly("get", "pods", "-n", "dev", "-o", "wide", "--help");
    }
}
