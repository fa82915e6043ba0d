package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** --log-format and --log-level switch the layout and level of the running log4j configuration. */
class LogSetupTest {

    private static final Logger LOG = LoggerFactory.getLogger(LogSetupTest.class);
    private final PrintStream originalOut = System.out;

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.clearProperty(LogSetup.FORMAT_PROPERTY);
        System.clearProperty(LogSetup.LEVEL_PROPERTY);
        LogSetup.apply(AgentConfig.LogFormat.TEXT, "warn");
        MDC.clear();
    }

    private String logWith(AgentConfig.LogFormat format, String level) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // the test config logs to stdout
        LogSetup.apply(format, level);
        MDC.put(LogKeys.NODE, "n1");
        MDC.put(LogKeys.SYNC_ID, "n1-7");
        LOG.info("sync kind=changes changes=1");
        LOG.debug("a rule");
        System.out.flush();
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonFormatWritesOneObjectPerLineWithTheMdcAsFields() {
        String out = logWith(AgentConfig.LogFormat.JSON, "info");

        assertThat(out.lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("{").endsWith("}")
                .contains("\"message\":\"sync kind=changes changes=1\"", "\"log.level\":\"INFO\"",
                        "\"syncId\":\"n1-7\"", "\"node\":\"n1\""));
    }

    @Test
    void textFormatAtDebugShowsNodeSyncIdAndDebugLines() {
        String out = logWith(AgentConfig.LogFormat.TEXT, "debug");

        assertThat(out).contains("[n1] [n1-7] sync kind=changes changes=1", "a rule").doesNotContain("{\"");
    }

    /**
     * The agent's own configuration ({@code log4j2.xml}, not the tests'): records on the {@code weir.denials} logger
     * reach stdout as bare lines whatever the format and level, and the agent's lines stay on stderr.
     */
    @Test
    void denialRecordsGoToStdoutAsTheyAreApartFromTheAgentsLines() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.configurationFile=" + LogSetupTest.class.getResource("/log4j2.xml"),
                "-cp", System.getProperty("java.class.path"), DenialLoggerChild.class.getName()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(out).as(err).isEqualTo("{\"count\":1}\n");
        assertThat(err).contains("\"message\":\"a failed sync\"").doesNotContain("count");
    }

    /** Logs as {@code weir agent --log-format json --log-level error} would, then writes one record. */
    static final class DenialLoggerChild {
        public static void main(String[] args) {
            LogSetup.apply(AgentConfig.LogFormat.JSON, "error");
            LoggerFactory.getLogger(LogSetupTest.class).info("an info line nobody sees");
            LoggerFactory.getLogger(LogSetupTest.class).error("a failed sync");
            LoggerFactory.getLogger(dev.weir.agent.denials.DenialSink.LOGGER).info("{\"count\":1}");
        }
    }
}
