package dev.weir.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestDocumentsTest {

    /** Each document as {@code "index json"} or {@code "index broken"}, in order. */
    private static List<String> read(String stream) {
        return ManifestDocuments.read(stream).stream().map(d -> {
            if (d instanceof ManifestDocuments.Parsed p) {
                return p.index() + " " + p.root();
            } else if (d instanceof ManifestDocuments.Broken b) {
                return b.index() + " broken";
            }
            throw new AssertionError(d);
        }).toList();
    }

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("one document", "a: 1\n", List.of("1 {\"a\":1}")),
                Arguments.of("leading separator is not an empty document", "---\na: 1\n---\nb: 2\n",
                        List.of("1 {\"a\":1}", "2 {\"b\":2}")),
                Arguments.of("comment-only and empty documents are skipped", "# head\n---\n---\na: 1\n---\n# tail\n",
                        List.of("1 {\"a\":1}")),
                Arguments.of("separator with a comment", "a: 1\n--- # next\nb: 2\n",
                        List.of("1 {\"a\":1}", "2 {\"b\":2}")),
                Arguments.of("separator with inline content", "a: 1\n--- {b: 2}\n",
                        List.of("1 {\"a\":1}", "2 {\"b\":2}")),
                Arguments.of("document end marker", "a: 1\n...\nb: 2\n", List.of("1 {\"a\":1}", "2 {\"b\":2}")),
                Arguments.of("document end marker before a separator", "a: 1\n...\n---\nb: 2\n...\n",
                        List.of("1 {\"a\":1}", "2 {\"b\":2}")),
                Arguments.of("CRLF line ends", "a: 1\r\n---\r\nb: 2\r\n", List.of("1 {\"a\":1}", "2 {\"b\":2}")),
                Arguments.of("a --- line inside a block scalar is content", """
                        kind: ConfigMap
                        metadata:
                          name: script
                          annotations:
                            note: |
                              first
                              ---
                              second
                        data:
                          run.sh: |-
                            echo one
                            ---
                            --- not a separator either
                        ---
                        kind: Namespace
                        """, List.of("1 {\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"script\",\"annotations\":"
                                + "{\"note\":\"first\\n---\\nsecond\\n\"}},\"data\":{\"run.sh\":"
                                + "\"echo one\\n---\\n--- not a separator either\"}}",
                        "2 {\"kind\":\"Namespace\"}")),
                Arguments.of("a --- line inside a quoted scalar is content", "a: \"x\n  ---\n  y\"\n---\nb: 2\n",
                        List.of("1 {\"a\":\"x --- y\"}", "2 {\"b\":2}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void readsYamlStreamsIntoNumberedDocuments(String name, String stream, List<String> expected) {
        assertThat(read(stream)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> brokenStreams() {
        return Stream.of(
                Arguments.of("unclosed flow sequence", "a: 1\n---\nb: [unclosed\nc: 3\n---\nd: 4\n"),
                Arguments.of("unclosed quote running into the next separator", "a: 1\n---\nb: \"unclosed\n---\nd: 4\n"),
                Arguments.of("indentation that ends the mapping early", "a: 1\n---\n  b: 2\n c: 3\n---\nd: 4\n"),
                Arguments.of("a tab as indentation", "a: 1\n---\nb:\n\tc: 3\n---\nd: 4\n"),
                Arguments.of("broken after a block scalar holding ---",
                        "a: 1\n---\nb: |\n  ---\n  x\nc: [\n---\nd: 4\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStreams")
    void aBrokenDocumentIsReportedWithItsIndexAndTheOthersStillLoad(String name, String stream) {
        assertThat(read(stream)).containsExactly("1 {\"a\":1}", "2 broken", "3 {\"d\":4}");
    }

    @Test
    void theProblemNamesTheLineInTheWholeStream() {
        List<ManifestDocuments.Document> docs = ManifestDocuments.read("a: 1\n---\nb: 2\n---\nc: 1\n---\nd: [\n---\ne: 5\n");
        assertThat(docs.get(3)).isEqualTo(new ManifestDocuments.Broken(4, "invalid YAML at line 7: "
                + "while parsing a flow node: expected the node content, but found '<document start>'"));
    }

    @Test
    void brokenFirstAndLastDocumentsAreEachReported() {
        assertThat(read("a: [\n---\nb: 2\n---\nc: \"\n")).containsExactly("1 broken", "2 {\"b\":2}", "3 broken");
    }

    static Stream<Arguments> jsonStreams() {
        return Stream.of(Arguments.of("object", "  {\"a\": 1}\n", List.of("1 {\"a\":1}")),
                Arguments.of("array", "[1, 2]", List.of("1 [1,2]")),
                Arguments.of("invalid", "{\"a\": }", List.of("1 broken")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonStreams")
    void jsonIsOneDocument(String name, String stream, List<String> expected) {
        assertThat(read(stream)).containsExactlyElementsOf(expected);
    }
}
