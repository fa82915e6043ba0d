package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image has two builds: the Dockerfile (for people with Docker) and {@code images/build} (mmdebstrap, no Docker;
 * what the lab runs). They must produce the same image: the same Debian suite and packages, the same files at the same
 * paths, the same entrypoint, command and labels. Both are read as text here, so neither can drift alone; where the
 * script has run, the image config it wrote is held to the Dockerfile too.
 */
class ImageBuildTest {

    private static final Path ROOT = WeirChart.repoRoot();

    private static String dockerfile() throws IOException {
        return Files.readString(ROOT.resolve("Dockerfile"));
    }

    private static String script() throws IOException {
        return Files.readString(ROOT.resolve("images/build"));
    }

    /** The Dockerfile's last stage: what the image holds (the first stage only builds the jar). */
    private static String runtimeStage() throws IOException {
        String text = dockerfile().replace("\\\n", " ");
        return text.substring(text.lastIndexOf("\nFROM "));
    }

    /** A bash assignment {@code NAME=...} of the script: an array's words or a single-quoted value. */
    private static String scriptValue(String name) throws IOException {
        Matcher array = Pattern.compile("(?ms)^" + name + "=\\((.*?)\\)$").matcher(script());
        if (array.find()) {
            return array.group(1);
        }
        Matcher single = Pattern.compile("(?m)^" + name + "='([^']*)'$").matcher(script());
        if (single.find()) {
            return single.group(1);
        }
        Matcher plain = Pattern.compile("(?m)^" + name + "=(\\S+)$").matcher(script());
        assertThat(plain.find()).as("images/build assigns %s", name).isTrue();
        return plain.group(1);
    }

    /** The quoted words of a bash array body, or its bare words. */
    private static List<String> words(String arrayBody) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(arrayBody);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    @Test
    void sameDebianSuiteAsTheDockerfilesBase() throws IOException {
        Matcher from = Pattern.compile("FROM debian:(\\w+)-slim").matcher(runtimeStage());

        assertThat(from.find()).as("runtime stage FROM debian:<suite>-slim").isTrue();
        assertThat(scriptValue("SUITE")).isEqualTo(from.group(1));
        assertThat(script()).as("minbase is what the -slim images are made of").contains("--variant=minbase");
    }

    @Test
    void samePackagesWithoutRecommends() throws IOException {
        Matcher install = Pattern.compile("apt-get install -y --no-install-recommends ([a-z0-9.+\\- ]+?)\\s*&&")
                .matcher(runtimeStage());
        assertThat(install.find()).as("runtime stage installs its packages").isTrue();
        Set<String> docker = new TreeSet<>(List.of(install.group(1).strip().split("\\s+")));

        assertThat(new TreeSet<>(words(scriptValue("PACKAGES")))).isEqualTo(docker)
                .contains("openjdk-17-jre-headless", "iptables", "ipset", "conntrack", "iproute2");
        assertThat(script()).as("mmdebstrap installs no recommends unless told to").doesNotContain("Install-Recommends");
    }

    /**
     * Found by the first mmdebstrap build: without man pages there is no {@code /usr/share/man/man1}, and openjdk's
     * postinst fails to register {@code java.1.gz} there, so the package (and the image build) fails.
     */
    @Test
    void bothMakeTheManDirectoryOpenjdkRegistersBeforeInstallingIt() throws IOException {
        String stage = runtimeStage();

        assertThat(stage.indexOf("mkdir -p /usr/share/man/man1")).as("Dockerfile").isNotNegative()
                .isLessThan(stage.indexOf("apt-get install"));
        assertThat(script()).contains("--essential-hook='mkdir -p \"$1/usr/share/man/man1\"'")
                .contains("path-exclude=/usr/share/man/*");
    }

    @Test
    void sameFilesAtTheSamePaths() throws IOException {
        Map<String, String> docker = new LinkedHashMap<>();
        Pattern.compile("(?m)^COPY --from=build /src/(\\S+) (\\S+)$").matcher(dockerfile()).results()
                .forEach(r -> docker.put(r.group(1), r.group(2)));
        Map<String, String> script = new LinkedHashMap<>();
        words(scriptValue("APP_FILES")).forEach(pair -> script.put(pair.substring(0, pair.indexOf(':')),
                pair.substring(pair.indexOf(':') + 1)));

        assertThat(script).isEqualTo(docker).containsKey("controller/target/weir.jar");
    }

    @Test
    void sameEntrypointAndCommand() throws IOException {
        String stage = runtimeStage();

        assertThat(stage).contains("ENTRYPOINT " + scriptValue("ENTRYPOINT"));
        assertThat(stage).contains("CMD " + scriptValue("CMD"));
    }

    @Test
    void sameLabels() throws IOException {
        Map<String, String> docker = new LinkedHashMap<>();
        Matcher label = Pattern.compile("LABEL ((?:[\\w.]+=\"[^\"]*\"\\s*)+)").matcher(runtimeStage());
        assertThat(label.find()).isTrue();
        Pattern.compile("([\\w.]+)=\"([^\"]*)\"").matcher(label.group(1)).results()
                .forEach(r -> docker.put(r.group(1), r.group(2)));
        Map<String, String> script = new LinkedHashMap<>();
        words(scriptValue("LABELS")).forEach(l -> script.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));

        assertThat(script).isEqualTo(docker).isNotEmpty();
    }

    @Test
    void builtImageConfigSaysWhatTheDockerfileSays() throws IOException {
        Path config = ROOT.resolve("images/target/config.json");
        assumeThat(config).as("images/build has not run in this checkout").exists();
        JsonNode c = new ObjectMapper().readTree(Files.readString(config)).path("config");
        ObjectMapper json = new ObjectMapper();
        String stage = runtimeStage();

        assertThat(stage).contains("ENTRYPOINT " + json.writeValueAsString(c.path("Entrypoint")).replace(",", ", "));
        assertThat(stage).contains("CMD " + json.writeValueAsString(c.path("Cmd")).replace(",", ", "));
        assertThat(Files.isRegularFile(ROOT.resolve("images/target/rootfs/opt/weir/weir.jar"))).isTrue();
        assertThat(Files.isDirectory(ROOT.resolve("images/target/rootfs/opt/weir/lib"))).isTrue();
    }
}
