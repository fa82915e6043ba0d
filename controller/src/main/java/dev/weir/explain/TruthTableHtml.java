package dev.weir.explain;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link TruthTable} as one self-contained HTML page: a colour grid per port and protocol, a cell's reasons on hover
 * and click, a filter by namespace. {@code weir explain -o html} and {@code weir lab probe -o html} print it.
 *
 * <p>The page carries its data as one JSON document in a {@code <script type="application/json">} block, whose
 * {@code table} (and, comparing, {@code expected}) member is exactly what {@code -o json} prints
 * ({@link TruthTableJson#toNode}), and draws it with a small script of its own ({@code truth-table.js} and
 * {@code truth-table.css} beside this class, inlined). Nothing is fetched: a Content-Security-Policy forbids every
 * load, so the page works from a file, offline, and a hostile name cannot make it reach out.
 *
 * <p>Escaping: the JSON block ends at the first {@code </script} whatever the JSON means, so every {@code <},
 * {@code >} and {@code &} in it is written as a JSON {@code \u003c}-style escape (they can only occur inside strings,
 * where the escape means the same character). The script puts every name and reason into the page with
 * {@code textContent}, never as markup. Every character outside ASCII is escaped too, so the page reads the same in
 * whatever encoding the terminal that printed it used.
 */
public final class TruthTableHtml {

    private static final ObjectMapper MAPPER = Serialization.jsonMapper();
    private static final String CSS = resource("truth-table.css");
    private static final String SCRIPT = resource("truth-table.js");

    private TruthTableHtml() {
    }

    /** The page of explain's table, with the loader's notes and the rejected objects above the grid. */
    public static String explain(TruthTable table, List<String> notes, List<String> rejected) {
        ObjectNode data = data("explain", "weir explain: who may reach whom", table, notes, rejected);
        return page(data, TruthTableText.render(table));
    }

    /** The page of a table of real packets (no reasons: a packet only says whether it arrived). */
    public static String probed(TruthTable probed, List<String> notes) {
        ObjectNode data = data("probe", "weir lab probe: real packets", probed, notes, List.of());
        return page(data, TruthTableText.render(probed));
    }

    /**
     * The page of real packets compared with explain: the grid shows the packets, marks every cell in which explain
     * says otherwise ({@link TruthTableDiff}), and a cell's panel shows both verdicts with explain's reasons.
     */
    public static String comparison(TruthTable explained, TruthTable probed, List<String> notes,
            List<String> rejected) {
        ObjectNode data = data("comparison", "weir lab probe: real packets compared with weir explain", probed,
                notes, rejected);
        data.set("expected", TruthTableJson.toNode(explained, List.of()));
        ArrayNode differences = data.putArray("differences");
        List<TruthTableDiff.Difference> diff = TruthTableDiff.between(explained, probed);
        for (TruthTableDiff.Difference d : diff) {
            ObjectNode n = differences.addObject();
            n.put("from", d.from());
            n.put("to", d.to());
            n.put("target", d.target().toString());
        }
        return page(data, TruthTableText.render(probed) + "\n" + TruthTableDiff.render(diff));
    }

    private static ObjectNode data(String kind, String title, TruthTable table, List<String> notes,
            List<String> rejected) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("kind", kind);
        data.put("title", title);
        ArrayNode r = data.putArray("rejected");
        rejected.forEach(r::add);
        data.set("table", TruthTableJson.toNode(table, notes));
        data.putNull("expected");
        data.putArray("differences");
        return data;
    }

    private static String page(ObjectNode data, String text) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
                style-src 'unsafe-inline'; script-src 'unsafe-inline'">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                %s</style>
                </head>
                <body>
                <noscript><p>This page draws the table with a script; without it, the tables as text:</p>
                <pre>%s</pre></noscript>
                <script type="application/json" id="weir-data">%s</script>
                <script>
                %s</script>
                </body>
                </html>
                """.formatted(html(data.path("title").asString()), CSS, html(text),
                scriptSafe(MAPPER.writeValueAsString(data)), SCRIPT);
    }

    /**
     * JSON that can stand between {@code <script type="application/json">} and {@code </script>}: {@code <}, {@code >}
     * and {@code &} (so no {@code </script} or {@code <!--} can form) and every non-ASCII character as {@code \}{@code
     * uXXXX} escapes, which mean the same inside a JSON string (the only place JSON allows them).
     */
    static String scriptSafe(String json) {
        StringBuilder sb = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '<' || c == '>' || c == '&' || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Text for HTML content or a quoted attribute: markup characters and non-ASCII as character references. */
    static String html(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 64);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append("&#xfffd;"); // a reference to a control character is a parse error
                    } else if (c > 0x7e) {
                        sb.append("&#x").append(Integer.toHexString(c)).append(';');
                    } else {
                        sb.append((char) c);
                    }
                }
            }
        });
        return sb.toString();
    }

    private static String resource(String name) {
        try (InputStream in = TruthTableHtml.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing beside " + TruthTableHtml.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
