package dev.weir.agent.denials;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where denial records go, one JSON line each: the {@code weir.denials} logger, or a file of the agent's own. */
public interface DenialSink extends AutoCloseable {

    /** The logger's name; {@code log4j2.xml} sends it to stdout as bare lines, apart from the agent's own log. */
    String LOGGER = "weir.denials";

    void write(List<String> lines) throws IOException;

    @Override
    default void close() {
    }

    /** The {@code weir.denials} logger at INFO, one event per record (route it with log4j's configuration). */
    static DenialSink logger() {
        Logger log = LoggerFactory.getLogger(LOGGER);
        return lines -> lines.forEach(log::info);
    }

    /**
     * Appends to {@code file} (created if absent), flushed after every batch so a reader tailing it sees each record
     * within the flush tick. Before each batch it checks that the path still names the file it has open: one moved
     * away or deleted (a rotation) is closed and the path opened afresh. A failed write closes the file; the next
     * batch opens it again.
     */
    static DenialSink file(Path file) {
        return new DenialSink() {
            private BufferedWriter out;
            private Object openKey;

            @Override
            public synchronized void write(List<String> lines) throws IOException {
                try {
                    if (out != null && !Objects.equals(openKey, key(file))) {
                        close();
                    }
                    if (out == null) {
                        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
                        openKey = key(file);
                    }
                    for (String l : lines) {
                        out.write(l);
                        out.write('\n');
                    }
                    out.flush();
                } catch (IOException e) {
                    close();
                    throw e;
                }
            }

            /** The file's identity (device and inode on Linux); null when there is none. */
            private static Object key(Path file) {
                try {
                    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
                } catch (IOException e) {
                    return null;
                }
            }

            @Override
            public synchronized void close() {
                if (out != null) {
                    try {
                        out.close();
                    } catch (IOException ignored) {
                        // the write that failed says why; nothing to add
                    }
                    out = null;
                }
            }

            @Override
            public String toString() {
                return file.toString();
            }
        };
    }
}
