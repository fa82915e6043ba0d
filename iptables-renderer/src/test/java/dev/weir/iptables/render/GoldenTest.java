package dev.weir.iptables.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders each {@link GoldenCases} case and compares with {@code golden/<case>/}: {@code out-ipsets.txt} (the ipset
 * restore payload), {@code out-filter.rules} (the iptables-restore payload with hook inserts), when the node has
 * IPv6 rules {@code out-filter6.rules}, when it has pods on bridge ports {@code out-ebtables.rules} (the
 * ebtables-restore payload), and when it has NFLOG rules {@code out-decisions.txt} (each prefix with the canonical text
 * of its decision, {@link Names#decisionText}). Regenerate with {@code -Dweir.golden.update=true} and review the diff.
 */
class GoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("weir.golden.update");

    static Stream<String> cases() {
        return GoldenCases.CASES.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void renderedTextEqualsTheGoldenFiles(String name) throws IOException {
        Map<String, String> actual = render(name);
        Path dir = GOLDEN.resolve(name);
        if (UPDATE) {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith("out-")).toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, String> e : actual.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        }
        assertThat(outFiles(dir)).as("golden files of %s", name).containsExactlyElementsOf(actual.keySet());
        for (Map.Entry<String, String> e : actual.entrySet()) {
            assertThat(e.getValue()).as("%s/%s", name, e.getKey())
                    .isEqualTo(Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyGoldenDirectoryBelongsToACase() throws IOException {
        List<String> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(GOLDEN)) {
            s.filter(Files::isDirectory).forEach(p -> dirs.add(p.getFileName().toString()));
        }
        assertThat(dirs).containsExactlyInAnyOrderElementsOf(GoldenCases.CASES.keySet());
    }

    static Map<String, String> render(String name) {
        Ruleset rs = GoldenCases.render(name);
        Map<String, String> out = new TreeMap<>();
        out.put("out-ipsets.txt", IpsetScript.install(rs.sets()));
        out.put("out-filter.rules", RestoreScript.install(rs.v4()));
        if (!rs.v6().chains().isEmpty()) {
            out.put("out-filter6.rules", RestoreScript.install(rs.v6()));
        }
        if (!rs.bridge().isEmpty()) {
            out.put("out-ebtables.rules", EbtablesScript.install(rs.bridge()));
        }
        if (!rs.decisions().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            rs.decisionsByPrefix().forEach((prefix, d) -> sb.append(prefix).append(' ')
                    .append(Names.decisionText(d).replace('\n', ' ')).append('\n'));
            out.put("out-decisions.txt", sb.toString());
        }
        return out;
    }

    private static List<String> outFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("out-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
