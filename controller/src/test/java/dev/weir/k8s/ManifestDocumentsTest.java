package dev.weir.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestDocumentsTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("one document", "a: 1\n", List.of("a: 1")),
                Arguments.of("leading separator is not an empty document", "---\na: 1\n---\nb: 2\n",
                        List.of("a: 1", "b: 2")),
                Arguments.of("comment-only and empty documents are skipped", "# head\n---\n---\na: 1\n---\n# tail\n",
                        List.of("a: 1")),
                Arguments.of("separator with a comment", "a: 1\n--- # next\nb: 2\n", List.of("a: 1", "# next\nb: 2")),
                Arguments.of("document end marker", "a: 1\n...\nb: 2\n", List.of("a: 1", "b: 2")),
                Arguments.of("dashes inside a block scalar are content", "a: |\n  ---x\nb: 2\n",
                        List.of("a: |\n  ---x\nb: 2")),
                Arguments.of("CRLF line ends", "a: 1\r\n---\r\nb: 2\r\n", List.of("a: 1", "b: 2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void splitsYamlStreamsIntoNumberedDocuments(String name, String stream, List<String> expected) {
        List<ManifestDocuments.Document> docs = ManifestDocuments.split(stream);
        assertThat(docs).extracting(d -> d.text().strip()).containsExactlyElementsOf(expected);
        assertThat(docs).extracting(ManifestDocuments.Document::index)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, expected.size()).boxed().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonStreams")
    void jsonIsOneDocument(String name, String stream) {
        assertThat(ManifestDocuments.split(stream)).singleElement().satisfies(d -> assertThat(d.json()).isTrue());
    }

    static Stream<Arguments> jsonStreams() {
        return Stream.of(Arguments.of("object", "  {\"a\": 1}\n"), Arguments.of("array", "[1, 2]"));
    }
}
