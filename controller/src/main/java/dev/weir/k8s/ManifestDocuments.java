package dev.weir.k8s;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/**
 * Reads a YAML stream document by document with Jackson's YAML parser (fabric8's {@code yamlMapper}, the parser that
 * reads the objects themselves), so a {@code ---} inside a block or quoted scalar is content, never a separator. A
 * document that does not parse is reported on its own, with its index, and the documents after it still load: the
 * parser resumes at the next {@code ---} line, which YAML forbids as content at column 0, so it always starts a
 * document. A stream that starts with {@code {} or {@code [} is JSON and is one document. Every reader of manifest text
 * ({@link ManifestLoader}, {@code admin.ClusterPolicyManifests}) goes through here.
 */
public final class ManifestDocuments {

    /** One document, numbered from 1 among the non-empty documents of its source. */
    public sealed interface Document {
        int index();
    }

    /** A document that parsed; {@code root} is its top-level node (not null). */
    public record Parsed(int index, JsonNode root) implements Document {
    }

    /** A document that does not parse, and the parser's first line about why. */
    public record Broken(int index, String problem) implements Document {
    }

    /** A document start marker: {@code ---} at column 0, alone or followed by a blank and inline content. */
    private static final Pattern START = Pattern.compile("---(?:[ \\t].*)?");
    /** A document end marker; snakeyaml-engine wants a {@code ---} after it, YAML 1.2 does not. */
    private static final Pattern END = Pattern.compile("\\.\\.\\.(?:[ \\t].*)?");

    private ManifestDocuments() {
    }

    public static List<Document> read(String content) {
        String trimmed = content.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return json(content);
        }
        List<String> lines = new ArrayList<>();
        List<Integer> starts = new ArrayList<>(); // 1-based numbers of the lines that start a document
        for (String line : content.split("\r?\n", -1)) {
            boolean end = END.matcher(line).matches();
            lines.add(end ? "---" : line);
            if (end || START.matcher(line).matches()) {
                starts.add(lines.size());
            }
        }
        List<Document> out = new ArrayList<>();
        int from = 1;
        while (from > 0) {
            from = readFrom(lines, from, starts, out);
        }
        return out;
    }

    /**
     * Reads documents from line {@code from} on into {@code out}; returns the line to resume at after a broken
     * document (always past {@code from}), or 0 when the stream is done.
     */
    private static int readFrom(List<String> lines, int from, List<Integer> starts, List<Document> out) {
        String text = String.join("\n", lines.subList(from - 1, lines.size()));
        JsonNode pending = null; // read, but only whole once the parser has moved on to what follows it
        int pendingEnd = from;
        try (MappingIterator<JsonNode> it = Serialization.yamlMapper().readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                if (pending != null) {
                    out.add(new Parsed(out.size() + 1, pending));
                    pending = null;
                }
                JsonNode node = it.nextValue();
                if (node != null && !node.isMissingNode() && !node.isNull()) {
                    pending = node;
                    pendingEnd = from - 1 + line(it.currentLocation(), 1);
                }
            }
            if (pending != null) {
                out.add(new Parsed(out.size() + 1, pending));
            }
            return 0;
        } catch (JacksonException e) {
            int at = from - 1 + line(e.getLocation(), 1);
            // Trailing garbage after a document's value belongs to it, unless a new document began in between.
            int valueEnd = pendingEnd;
            if (pending != null && starts.stream().anyMatch(s -> s >= valueEnd && s < at)) {
                out.add(new Parsed(out.size() + 1, pending));
            }
            out.add(new Broken(out.size() + 1, "invalid YAML at line " + at + ": " + summary(e.getOriginalMessage())));
            return starts.stream().filter(s -> s > at && s > from).findFirst().orElse(0);
        }
    }

    private static List<Document> json(String content) {
        try {
            JsonNode root = Serialization.jsonMapper().readTree(content);
            return root == null || root.isMissingNode() || root.isNull() ? List.of() : List.of(new Parsed(1, root));
        } catch (JacksonException e) {
            return List.of(new Broken(1, "invalid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")));
        }
    }

    private static int line(TokenStreamLocation location, int otherwise) {
        return location == null || location.getLineNr() < 1 ? otherwise : location.getLineNr();
    }

    /**
     * The parser's words without its snippets: snakeyaml-engine writes the context and the problem on lines of their
     * own, each followed by indented "in reader, line …" and a copy of the line with a caret.
     */
    private static String summary(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining(": "));
    }
}
