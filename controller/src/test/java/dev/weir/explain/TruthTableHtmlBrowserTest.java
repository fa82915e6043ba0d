package dev.weir.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.cli.CliRun;
import dev.weir.cli.ExplainCommand;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML page in a real browser: headless Chromium opens {@code weir explain -o html} of the seed matrix
 * ({@link SeedMatrix}) from a file, runs its script, and the test reads the DOM it dumps — the grid cell by cell
 * against explain's JSON, and the panel of the cell named in the URL fragment. Skipped where Chromium is not
 * installed ({@code .ci/deps browser} installs it). One browser run per test, about a second each.
 *
 * <p>{@code -Dweir.docs.screenshot=true} also redraws {@code docs/img/explain-matrix.png} from the same page;
 * {@code -Dweir.html.save=DIR} keeps the pages.
 */
class TruthTableHtmlBrowserTest {

    private static final PortProtocol TCP_80 = PortProtocol.tcp(80);
    private static final PortProtocol TCP_81 = PortProtocol.tcp(81);
    private static final String HOSTILE = "y/</script><script>document.title='owned'</script>\"'";

    @TempDir
    Path dir;

    private HeadlessChromium chromium;

    @BeforeEach
    void findChromium() {
        chromium = HeadlessChromium.find(dir).orElse(null);
        assumeTrue(chromium != null, "chromium is not installed (Debian: apt-get install chromium, or .ci/deps "
                + "browser): skipped");
    }

    @Test
    void explainPageDrawsEveryCellOfTheTableAndTheReasonsOfTheCellInTheFragment() throws Exception {
        TruthTable table = TruthTableJson.read(explain("-o", "json"));
        Path page = write("explain.html", explain("-o", "html"));

        String dom = chromium.dumpDom(page, "cell=x/b,x/a,81/TCP");

        List<Map<String, String>> cells = cells(dom);
        assertThat(cells).hasSize(81);
        for (Map<String, String> td : cells) {
            boolean allowed = table.cell(td.get("data-from"), td.get("data-to"), TCP_81).orElseThrow().allowed();
            assertThat(td.get("class")).as("%s -> %s", td.get("data-from"), td.get("data-to"))
                    .contains(allowed ? "allow" : "deny").doesNotContain(allowed ? "deny" : "allow");
        }
        assertThat(cell(cells, "x/b", "x/a").get("class")).contains("deny", "picked");
        assertThat(cell(cells, "y/b", "x/a").get("class")).contains("deny"); // x admits y on 80/TCP only
        assertThat(cell(cells, "x/a", "x/a").get("class")).contains("allow");
        assertThat(dom).containsPattern("<button[^>]*aria-selected=\"true\"[^>]*>81/TCP");

        assertThat(text(dom, "aside")).contains("x/b \u2192 x/a", "81/TCP", "denied",
                "egress: x/b is not selected by any policy with egress rules: allowed",
                "ingress: x/a is isolated by x/allow-from-y-on-80 and no rule allows it: denied",
                "ingress decision", "default-deny", "NetworkPolicy x/allow-from-y-on-80");
    }

    /**
     * The probes as the lab would report them (no reasons) but with one packet dropped that explain allows, and one
     * more pod in y whose name tries to end the data block and run a script of its own.
     */
    @Test
    void comparisonPageMarksTheCellWherePacketsDifferAndShowsOnlyTheChosenNamespaces() throws Exception {
        TruthTable seed = TruthTableJson.read(explain("-o", "json"));
        List<String> pods = new ArrayList<>(seed.pods());
        pods.add(HOSTILE);
        TruthTable.Builder explained = TruthTable.builder(pods);
        TruthTable.Builder probed = TruthTable.builder(pods);
        seed.entries().forEach(e -> explained.set(e.from(), e.to(), e.target(), e.cell()));
        seed.entries().forEach(e -> probed.set(e.from(), e.to(), e.target(), e.cell().allowed()));
        for (PortProtocol t : seed.targets()) {
            explained.allFrom(HOSTILE, t, true).allTo(HOSTILE, t, true);
            probed.allFrom(HOSTILE, t, true).allTo(HOSTILE, t, true);
        }
        // a packet explain allows, dropped
        probed.set("y/a", "x/b", TCP_80, new TruthTable.Cell(false, List.of("probe: timed out (2 attempts)")));
        Path page = write("probe.html", TruthTableHtml.comparison(explained.build(), probed.build(),
                List.of("100 probes in 1 ms"), List.of()));

        String dom = chromium.dumpDom(page, "ns=x,y&cell=y/a,x/b,80/TCP");

        assertThat(dom).contains("<title>weir lab probe: real packets compared with weir explain</title>");
        // its row header, as text: namespace and name are two spans there, hence the tags dropped without a space
        assertThat(unescape(dom.substring(dom.indexOf("<tbody>")).replaceAll("<[^>]*>", ""))).contains(HOSTILE);
        List<Map<String, String>> cells = cells(dom);
        assertThat(cells).hasSize(7 * 7).allSatisfy(td -> assertThat(td.get("data-from")).doesNotStartWith("z/"));
        assertThat(cells.stream().filter(td -> td.get("class").contains("differs")))
                .singleElement().satisfies(td -> {
                    assertThat(td).containsEntry("data-from", "y/a").containsEntry("data-to", "x/b");
                    assertThat(td.get("class")).contains("deny");
                });
        assertThat(text(dom, "header")).contains("1 cell differs between the packets and weir explain");
        assertThat(text(dom, "aside")).contains("y/a \u2192 x/b", "packets: denied", "explain: allowed",
                "The packets and explain differ", "what the packet saw probe: timed out (2 attempts)",
                "explain's reasons", "ingress: allowed by x/allow-from-y-on-80 ingress[0]");
    }

    @Test
    @EnabledIfSystemProperty(named = "weir.docs.screenshot", matches = "true")
    void redrawTheScreenshotInDocs() throws Exception {
        Path page = write("explain.html", explain("-o", "html"));
        Path png = ExamplesTest.examples().getParent().resolve("docs/img/explain-matrix.png");
        Files.createDirectories(png.getParent());
        chromium.screenshot(page, "cell=z/a,x/c,80/TCP", png, 1100, 640);
    }

    private static String explain(String... format) {
        List<String> args = new ArrayList<>(List.of("-"));
        args.addAll(List.of(format));
        CliRun r = CliRun.weir(new ExplainCommand(new ByteArrayInputStream(
                SeedMatrix.manifests().getBytes(StandardCharsets.UTF_8))), args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    /** The page in the test's directory; {@code -Dweir.html.save=DIR} keeps a copy there to look at. */
    private Path write(String name, String html) throws Exception {
        String save = System.getProperty("weir.html.save");
        if (save != null) {
            Files.writeString(Files.createDirectories(Path.of(save)).resolve(name), html);
        }
        return Files.writeString(dir.resolve(name), html);
    }

    /** The attributes of every grid cell ({@code <td class="cell ...">}) of a serialized DOM, in document order. */
    private static List<Map<String, String>> cells(String dom) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher td = Pattern.compile("<td\\b([^>]*)>").matcher(dom);
        while (td.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = Pattern.compile("([\\w:-]+)=\"([^\"]*)\"").matcher(td.group(1));
            while (a.find()) {
                attributes.put(a.group(1), unescape(a.group(2)));
            }
            if (attributes.getOrDefault("class", "").startsWith("cell ")) {
                out.add(attributes);
            }
        }
        return out;
    }

    private static Map<String, String> cell(List<Map<String, String>> cells, String from, String to) {
        return cells.stream().filter(c -> from.equals(c.get("data-from")) && to.equals(c.get("data-to")))
                .findFirst().orElseThrow(() -> new AssertionError("no cell " + from + " -> " + to));
    }

    /** The text of the first {@code <element>}: tags dropped, entities resolved, white space collapsed. */
    private static String text(String dom, String element) {
        int start = dom.indexOf("<" + element);
        int end = dom.indexOf("</" + element + ">", start);
        assertThat(start).as("<%s> in the DOM", element).isNotNegative();
        return unescape(dom.substring(start, end).replaceAll("<[^>]*>", " ")).replaceAll("\\s+", " ");
    }

    private static String unescape(String s) {
        return s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&amp;", "&");
    }
}
