package dev.weir.lab;

import dev.weir.lab.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The request file {@code up} hands to the daemon. */
public final class LabFiles {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private LabFiles() {
    }

    public static Path requestFile(StateStore store) {
        return store.dir().resolve("request.json");
    }

    public static void writeRequest(StateStore store, LabRequest request) {
        store.writeAtomically(requestFile(store), StateStore.toJson(request));
    }

    public static LabRequest readRequest(StateStore store) {
        try {
            return JSON.readValue(Files.readString(requestFile(store)), LabRequest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + requestFile(store), e);
        }
    }
}
