package dev.weir.agent.denials;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink: appends, and follows a rotation that moves the file away. */
class DenialSinkTest {

    @Test
    void aFileMovedAwayIsOpenedAfreshAtItsPathAndAnExistingOneIsAppendedTo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("denials.jsonl");
        Files.writeString(file, "{\"earlier\":true}\n");
        try (DenialSink sink = DenialSink.file(file)) {
            sink.write(List.of("{\"n\":1}", "{\"n\":2}"));
            Files.move(file, dir.resolve("denials.jsonl.1")); // logrotate's rename
            sink.write(List.of("{\"n\":3}"));
        }

        assertThat(Files.readAllLines(dir.resolve("denials.jsonl.1")))
                .containsExactly("{\"earlier\":true}", "{\"n\":1}", "{\"n\":2}");
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":3}");
    }
}
