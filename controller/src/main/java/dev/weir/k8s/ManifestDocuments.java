package dev.weir.k8s;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a YAML stream into its documents by the {@code ---} separator lines, so that one broken document is reported
 * on its own (with its index) and the others still load. A stream that starts with {@code {} or {@code [} is JSON and
 * is one document.
 */
final class ManifestDocuments {

    /** One document: its 1-based index among the non-empty documents of the source, and its text. */
    record Document(int index, String text, boolean json) {
    }

    private ManifestDocuments() {
    }

    static List<Document> split(String content) {
        String trimmed = content.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return List.of(new Document(1, content, true));
        }
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : content.split("\r?\n", -1)) {
            if (line.equals("---") || line.startsWith("--- ") || line.startsWith("---\t")) {
                chunks.add(current.toString());
                current.setLength(0);
                current.append(line.substring(3).strip()).append('\n'); // "--- {...}" keeps its inline content
            } else if (line.equals("...")) {
                chunks.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        chunks.add(current.toString());
        List<Document> out = new ArrayList<>();
        for (String chunk : chunks) {
            if (hasContent(chunk)) {
                out.add(new Document(out.size() + 1, chunk, false));
            }
        }
        return out;
    }

    private static boolean hasContent(String chunk) {
        for (String line : chunk.split("\n")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                return true;
            }
        }
        return false;
    }
}
