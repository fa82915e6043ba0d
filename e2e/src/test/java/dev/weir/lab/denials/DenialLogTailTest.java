package dev.weir.lab.denials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.agent.denials.DenialRecord;
import dev.weir.agent.denials.DenialRecordJson;
import dev.weir.graph.Decision;
import dev.weir.lab.state.StateStore;
import dev.weir.model.PolicyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agents' files read as they grow: whole lines only, each once, a new lab's file from its start, bad lines told. */
class DenialLogTailTest {

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();
    private final Instant seen = Instant.parse("2026-12-08T10:15:05Z");

    private StateStore store() {
        return new StateStore(dir);
    }

    private DenialLogTail tail() {
        return new DenialLogTail(store(), Clock.fixed(seen, ZoneOffset.UTC), problems::add);
    }

    static String line(String node, int port) {
        return DenialRecordJson.write(new DenialRecord(DenialTextTest.T, node, DenialTextTest.YB, DenialTextTest.XA,
                6, port, Decision.defaultDeny(PolicyType.INGRESS, List.of()), 1));
    }

    private void append(String node, String text) throws IOException {
        Files.writeString(DenialLogFiles.of(store(), node), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void eachNodeHasAFileInTheStateDirectoryAndUpRemovesThemAll() throws IOException {
        assertThat(DenialLogFiles.of(store(), "wl-n1")).isEqualTo(dir.resolve("denials-wl-n1.jsonl"));
        append("wl-n1", "");
        append("wl-n2", "");
        Files.writeString(dir.resolve("denials-.jsonl"), "");
        Files.writeString(dir.resolve("daemon.log"), "");

        assertThat(DenialLogFiles.present(store())).containsOnlyKeys("wl-n1", "wl-n2");
        DenialLogFiles.deleteAll(store());
        assertThat(DenialLogFiles.present(store())).isEmpty();
        assertThat(dir.resolve("daemon.log")).exists();
    }

    @Test
    void everyCompleteLineIsReadOnceAndALineBeingWrittenWaitsForTheNextPoll() throws IOException {
        DenialLogTail tail = tail();
        append("wl-n1", line("wl-n1", 80) + "\n" + line("wl-n1", 81).substring(0, 30));
        append("wl-n2", line("wl-n2", 82) + "\n");

        List<DenialLogTail.Entry> first = tail.poll();
        assertThat(first).extracting(e -> e.record().port()).containsExactlyInAnyOrder(80, 82);
        assertThat(first).allSatisfy(e -> assertThat(e.seen()).isEqualTo(seen));
        assertThat(first.get(0).line()).isIn(line("wl-n1", 80), line("wl-n2", 82));

        append("wl-n1", line("wl-n1", 81).substring(30) + "\n");
        assertThat(tail.poll()).extracting(e -> e.record().port()).containsExactly(81);
        assertThat(tail.poll()).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void aFileThatShrankOrWasReplacedIsReadFromItsStart() throws IOException {
        DenialLogTail tail = tail();
        append("wl-n1", line("wl-n1", 80) + "\n" + line("wl-n1", 81) + "\n");
        assertThat(tail.poll()).hasSize(2);

        Files.delete(DenialLogFiles.of(store(), "wl-n1"));
        append("wl-n1", line("wl-n1", 90) + "\n");

        assertThat(tail.poll()).extracting(e -> e.record().port()).containsExactly(90);
    }

    @Test
    void aLineThatIsNoRecordIsToldWithItsPlaceAndSkipped() throws IOException {
        append("wl-n1", "not json\n\n" + line("wl-n1", 80) + "\n");

        assertThat(tail().poll()).extracting(e -> e.record().port()).containsExactly(80);
        assertThat(problems).singleElement().asString()
                .startsWith(DenialLogFiles.of(store(), "wl-n1") + ":1: skipped, not a denial record: invalid JSON");
    }
}
