package dev.weir.agent;

import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Applies {@code --log-format} and {@code --log-level}: sets the properties {@code log4j2.xml} reads and reconfigures
 * log4j, so it works whether or not something logged before the flags were parsed. Process-wide: the lab's agents in
 * one JVM share it.
 */
public final class LogSetup {

    static final String FORMAT_PROPERTY = "weir.log.format";
    static final String LEVEL_PROPERTY = "weir.log.level";

    private LogSetup() {
    }

    public static void apply(AgentConfig.LogFormat format, String level) {
        System.setProperty(FORMAT_PROPERTY, format.name().toLowerCase(Locale.ROOT));
        System.setProperty(LEVEL_PROPERTY, level);
        if (LogManager.getContext(false) instanceof LoggerContext context) {
            context.reconfigure();
        }
    }
}
