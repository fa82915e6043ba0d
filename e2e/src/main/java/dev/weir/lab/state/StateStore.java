package dev.weir.lab.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lab's state directory: {@code state.json} (a {@link LabState}), {@code kubeconfig}, {@code daemon.log} and
 * {@code daemon.pid}. Writes are atomic (temp file + rename) so a crash never leaves half a state file.
 */
public final class StateStore {

    public static final String DEFAULT_DIR = "/var/run/weir-lab";
    public static final String ENV = "WEIR_LAB_DIR";

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path dir;

    public StateStore(Path dir) {
        this.dir = dir;
    }

    /** {@code --state-dir}, else {@code $WEIR_LAB_DIR}, else {@value #DEFAULT_DIR}. */
    public static StateStore resolve(Optional<String> flag) {
        String env = System.getenv(ENV);
        return new StateStore(Path.of(flag.orElse(env != null && !env.isBlank() ? env : DEFAULT_DIR)));
    }

    public Path dir() {
        return dir;
    }

    public Path stateFile() {
        return dir.resolve("state.json");
    }

    public Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    public Path log() {
        return dir.resolve("daemon.log");
    }

    public Path pidFile() {
        return dir.resolve("daemon.pid");
    }

    public Optional<LabState> read() {
        if (!Files.exists(stateFile())) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readString(stateFile()), LabState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stateFile(), e);
        }
    }

    public synchronized LabState update(UnaryOperator<LabState> change) {
        LabState next = change.apply(read().orElseThrow(() -> new IllegalStateException("no lab state in " + dir)));
        write(next);
        return next;
    }

    public synchronized void write(LabState state) {
        writeAtomically(stateFile(), JSON.writeValueAsString(state));
    }

    public static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }

    public void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(dir);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
