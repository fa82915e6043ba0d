package dev.weir.lab.denials;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.agent.denials.DenialRecordJson;
import dev.weir.lab.state.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the lab's denial logs ({@link DenialLogFiles}) as they grow: each {@link #poll} returns the records appended
 * since the last one, each with the instant this reader first saw it (how a test tells that a record came within 2 s).
 * Only complete lines are read; a line being written stays for the next poll. A file that shrank or was replaced (a
 * new lab) is read from its start again. A line that is not a record is reported to {@code problems} and skipped.
 */
public final class DenialLogTail {

    /** A record as a node's agent wrote it: the value, the line itself, and when this reader first saw it. */
    public record Entry(DenialRecord record, String line, Instant seen) {
    }

    private static final class Position {
        Object fileKey;
        long offset;
        long lineNumber;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    }

    private final StateStore store;
    private final Clock clock;
    private final Consumer<String> problems;
    private final Map<Path, Position> positions = new HashMap<>();

    public DenialLogTail(StateStore store, Clock clock, Consumer<String> problems) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** The records appended to every node's file since the last poll, file by file in the order written. */
    public synchronized List<Entry> poll() {
        Instant now = clock.instant();
        List<Entry> out = new ArrayList<>();
        for (Path f : DenialLogFiles.present(store).values()) {
            try {
                read(f, positions.computeIfAbsent(f, k -> new Position()), now, out);
            } catch (NoSuchFileException e) {
                positions.remove(f); // removed between the listing and the read: a new lab
            } catch (IOException e) {
                problems.accept("cannot read " + f + ": " + e);
            }
        }
        return out;
    }

    private void read(Path file, Position pos, Instant now, List<Entry> out) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (!Objects.equals(attrs.fileKey(), pos.fileKey) || attrs.size() < pos.offset) {
            pos.fileKey = attrs.fileKey();
            pos.offset = 0;
            pos.lineNumber = 0;
            pos.partial.reset();
        }
        if (attrs.size() == pos.offset) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            ch.position(pos.offset);
            int n;
            while ((n = ch.read(buf)) > 0) {
                pos.offset += n;
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        pos.lineNumber++;
                        line(file, pos.lineNumber, pos.partial.toString(StandardCharsets.UTF_8), now, out);
                        pos.partial.reset();
                    } else {
                        pos.partial.write(b);
                    }
                }
                buf.clear();
            }
        }
    }

    private void line(Path file, long number, String line, Instant now, List<Entry> out) {
        if (line.isBlank()) {
            return;
        }
        try {
            out.add(new Entry(DenialRecordJson.read(line), line, now));
        } catch (IllegalArgumentException e) {
            problems.accept(file + ":" + number + ": skipped, " + e.getMessage());
        }
    }
}
