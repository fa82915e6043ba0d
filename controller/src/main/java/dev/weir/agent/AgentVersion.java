package dev.weir.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The weir version this agent was built as (the Maven project version), for the node report. */
public final class AgentVersion {

    private static final String RESOURCE = "version.properties";
    private static final String VERSION = read();

    private AgentVersion() {
    }

    /** {@code 0.1.0}, {@code 0.2.0-SNAPSHOT}; {@code unknown} when the build left the resource out. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = AgentVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
