package dev.weir.lab.denials;

import dev.weir.lab.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the lab's agents write their denial records: one file per node in the state directory,
 * {@code denials-<node>.jsonl}, appended by that node's agent (process agents through {@code --denial-log-file},
 * in-process ones through the same setting of their {@code AgentConfig}), one JSON line per record. {@code up}
 * starts every lab with none; {@code down} keeps them, like the logs.
 */
public final class DenialLogFiles {

    private static final String PREFIX = "denials-";
    private static final String SUFFIX = ".jsonl";

    private DenialLogFiles() {
    }

    /** The file of {@code node}'s agent. */
    public static Path of(StateStore store, String node) {
        return store.dir().resolve(PREFIX + node + SUFFIX);
    }

    /** Every node's file that exists, by node name (an agent creates its file with its first record). */
    public static Map<String, Path> present(StateStore store) {
        Map<String, Path> out = new TreeMap<>();
        if (!Files.isDirectory(store.dir())) {
            return out;
        }
        try (Stream<Path> files = Files.list(store.dir())) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name.length() > PREFIX.length() + SUFFIX.length()
                        && Files.isRegularFile(f)) {
                    out.put(name.substring(PREFIX.length(), name.length() - SUFFIX.length()), f);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + store.dir(), e);
        }
        return out;
    }

    /** Removes every node's file: a new lab's log starts empty. */
    public static void deleteAll(StateStore store) throws IOException {
        for (Path f : present(store).values()) {
            Files.deleteIfExists(f);
        }
    }
}
