package dev.weir.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.cli.CliRun;
import dev.weir.cli.ExplainCommand;
import dev.weir.graph.Decision;
import dev.weir.graph.PolicyTier;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The page {@link TruthTableHtml} writes, read as text: its data block, its escaping, that it needs nothing else. */
class TruthTableHtmlTest {

    private static final PortProtocol TCP_80 = PortProtocol.tcp(80);
    private static final String HOSTILE_NS = "</script><script>alert(1)</script>";
    private static final String HOSTILE_POD = HOSTILE_NS + "/\"quoted' <!-- & </SCRIPT >";
    private static final String PLAIN_POD = "x/a";

    /** Two pods, one with every character that could end or confuse a script block, an attribute or a comment. */
    private static TruthTable hostile() {
        Decision deny = new Decision(PolicyType.INGRESS, Decision.Outcome.DENY, Decision.Cause.DEFAULT_DENY,
                Optional.of(PolicyTier.NETWORK_POLICY),
                List.of(new ObjectKey(ObjectKey.Kind.NETWORK_POLICY, HOSTILE_NS, "</style>")), Optional.empty());
        Decision allow = new Decision(PolicyType.EGRESS, Decision.Outcome.ALLOW, Decision.Cause.NOT_ISOLATED,
                Optional.empty(), List.of(), Optional.empty());
        return TruthTable.builder(List.of(PLAIN_POD, HOSTILE_POD)).fill(TCP_80, true)
                .set(PLAIN_POD, HOSTILE_POD, TCP_80, new TruthTable.Cell(false,
                        List.of("egress: fine", "ingress: isolated by " + HOSTILE_NS + "/</style> \u2014 denied"),
                        List.of(allow, deny)))
                .build();
    }

    private static final List<String> NOTES = List.of("note with </script> and \u00e9");
    private static final List<String> REJECTED = List.of("NetworkPolicy x/<b>bad</b>: spec: nope");

    @Test
    void theDataBlockIsExplainsJsonAndReadsBackToTheSameTable() {
        TruthTable table = hostile();
        JsonNode data = data(TruthTableHtml.explain(table, NOTES, REJECTED));

        assertThat(data.path("kind").asString()).isEqualTo("explain");
        assertThat(TruthTableJson.read(data.path("table").toString())).isEqualTo(table);
        assertThat(data.path("table")).isEqualTo(Serialization.jsonMapper().readTree(TruthTableJson.write(table,
                NOTES)));
        assertThat(data.path("rejected").get(0).asString()).isEqualTo(REJECTED.get(0));
    }

    @Test
    void hostileNamesCannotEndTheScriptBlockOrOpenAComment() {
        String page = TruthTableHtml.explain(hostile(), NOTES, REJECTED);

        // exactly the page's own two script blocks and one style block, however the names read
        assertThat(count(page.toLowerCase(), "<script")).isEqualTo(2);
        assertThat(count(page.toLowerCase(), "</script")).isEqualTo(2);
        assertThat(count(page.toLowerCase(), "</style")).isEqualTo(1);
        assertThat(page).doesNotContain("<!--", "alert(1)</", "<b>bad");
        // the text fallback shows the names as text
        assertThat(page).contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;/&quot;quoted&#39;");
    }

    @Test
    void everyCellOfEveryTargetIsInThePage() {
        TruthTable table = TruthTableJson.read(explainSeed("-o", "json"));
        JsonNode data = data(explainSeed("-o", "html"));

        assertThat(table.targets()).hasSize(6);
        assertThat(table.pods()).hasSize(9);
        assertThat(data.path("table").path("verdicts").size()).isEqualTo(9 * 9 * 6);
        assertThat(TruthTableJson.read(data.path("table").toString())).isEqualTo(table);
    }

    @Test
    void thePageIsSelfContainedAndAscii() {
        String page = TruthTableHtml.comparison(hostile(), hostile(), NOTES, REJECTED);

        assertThat(page).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
                .doesNotContain("url(", "@import", " src=", " href=", "fetch(", "XMLHttpRequest", "import(");
        assertThat(page).contains("content=\"default-src 'none'; style-src 'unsafe-inline'; "
                + "script-src 'unsafe-inline'\"");
        assertThat(page.chars().filter(c -> c > 0x7e || c < 0x20 && c != '\n' && c != '\t')).as("non-ASCII characters")
                .isEmpty();
    }

    @Test
    void aComparisonCarriesExplainsTableAndTheDifferingCells() {
        TruthTable explained = hostile();
        TruthTable probed = TruthTable.builder(explained.pods()).fill(TCP_80, true).build();

        JsonNode data = data(TruthTableHtml.comparison(explained, probed, List.of("2 probes"), List.of()));

        assertThat(data.path("kind").asString()).isEqualTo("comparison");
        assertThat(TruthTableJson.read(data.path("table").toString())).isEqualTo(probed);
        assertThat(TruthTableJson.read(data.path("expected").toString())).isEqualTo(explained);
        assertThat(data.path("differences").size()).isEqualTo(1);
        assertThat(data.path("differences").get(0).path("from").asString()).isEqualTo(PLAIN_POD);
        assertThat(data.path("differences").get(0).path("to").asString()).isEqualTo(HOSTILE_POD);
        assertThat(data.path("differences").get(0).path("target").asString()).isEqualTo("80/TCP");
    }

    @Test
    void scriptSafeEscapesOnlyWhatABrowserOrAnEncodingCouldMisread() {
        assertThat(TruthTableHtml.scriptSafe("{\"a\":\"</script><!-- & \u2192\"}"))
                .isEqualTo("{\"a\":\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2192\"}");
    }

    /** The JSON document of the page's {@code weir-data} block, parsed as the page's script parses it. */
    private static JsonNode data(String page) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"weir-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(page);
        assertThat(m.find()).as("the data block").isTrue();
        return Serialization.jsonMapper().readTree(m.group(1));
    }

    private static String explainSeed(String... format) {
        CliRun r = CliRun.weir(new ExplainCommand(new ByteArrayInputStream(
                SeedMatrix.manifests().getBytes(StandardCharsets.UTF_8))), List.of(List.of("-"), List.of(format))
                .stream().flatMap(List::stream).toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }
}
