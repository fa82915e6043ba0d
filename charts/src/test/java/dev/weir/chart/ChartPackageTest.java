package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `helm package` produces the archive that is published: with CRDs and schema, without anything else. */
class ChartPackageTest {

    @Test
    void packageHoldsTheChartCrdsAndSchemaOnly(@TempDir Path out) throws IOException {
        NativeHelm.call("package", () -> new Helm(WeirChart.dir()).packageIt().withDestination(out).call());

        Path archive = out.resolve("weir-0.1.0.tgz");
        assertThat(archive).exists();
        List<String> entries = tarEntries(archive);
        assertThat(entries).contains("weir/Chart.yaml", "weir/values.yaml", "weir/values.schema.json",
                "weir/templates/daemonset.yaml", "weir/templates/NOTES.txt");
        try (var crds = Files.list(WeirChart.dir().resolve("crds"))) {
            crds.forEach(crd -> assertThat(entries).contains("weir/crds/" + crd.getFileName()));
        }
        assertThat(entries).contains("weir/templates/nodepolicyreport-crd.yaml",
                "weir/files/nodepolicyreports.weir.dev.yaml");
        assertThat(entries).allSatisfy(entry -> assertThat(entry).startsWith("weir/")
                .doesNotContain("/src/", "/target/", "pom.xml"));
    }

    /** Names in a .tgz (ustar headers: name in the first 100 bytes, octal size at 124). */
    private static List<String> tarEntries(Path archive) throws IOException {
        var names = new ArrayList<String>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, java.nio.charset.StandardCharsets.UTF_8).replace("\0", "");
                String prefix = new String(header, 345, 155, java.nio.charset.StandardCharsets.UTF_8).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 11, java.nio.charset.StandardCharsets.US_ASCII)
                        .replace("\0", "").trim(), 8);
                names.add(prefix.isEmpty() ? name : prefix + "/" + name);
                in.skipNBytes((size + 511) / 512 * 512);
            }
        }
        return names;
    }
}
