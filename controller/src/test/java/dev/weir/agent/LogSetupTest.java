package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
