package dev.weir.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The chart under test in charts/weir, driven through real helm (helm-java), every call time-bounded. */
final class WeirChart {

    static final String RELEASE = "weir";
    static final String NAMESPACE = "kube-system";

    /** Renders are pure functions of the chart and the values; tests only read them, so one render serves all. */
    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    private WeirChart() {}

    static Path dir() {
        return Path.of(System.getProperty("weir.chart.dir", "weir")).toAbsolutePath().normalize();
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("weir.repo.dir", "..")).toAbsolutePath().normalize();
    }

    /** A values file from src/test/resources/values/. */
    static Path valuesFile(String name) {
        var url = WeirChart.class.getResource("/values/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test values file values/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static LintResult lintStrict() {
        return NativeHelm.call("lint --strict", () -> new Helm(dir()).lint().strict().call());
    }

    static Manifests render() {
        return render(Map.of());
    }

    /** `helm template` with `--set key=value` for each entry. */
    static Manifests render(Map<String, Object> sets) {
        return RENDERED.computeIfAbsent("set " + new TreeMap<>(sets), key -> Manifests.parse(NativeHelm.call(
                "template " + key, () -> {
                    var template = new Helm(dir()).template().withName(RELEASE).withNamespace(NAMESPACE);
                    sets.forEach(template::set);
                    return template.call();
                })));
    }

    /** `helm template -f values.yaml`. */
    static Manifests render(Path valuesFile) {
        return RENDERED.computeIfAbsent("file " + valuesFile, key -> Manifests.parse(templateWithValues(valuesFile)));
    }

    /** NOTES.txt as `helm install --dry-run` prints it (client only: no cluster is contacted). */
    static String installNotes(Map<String, Object> sets) {
        String output = NativeHelm.call("install --dry-run " + sets, () -> {
            var install = new Helm(dir()).install().withName(RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun();
            sets.forEach(install::set);
            return install.call().getOutput();
        });
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("helm printed no NOTES:\n" + output);
        }
        return output.substring(notes);
    }

    static String templateWithValues(Path valuesFile) {
        if (!Files.isRegularFile(valuesFile)) {
            throw new IllegalArgumentException("no values file " + valuesFile);
        }
        return NativeHelm.call("template -f " + valuesFile.getFileName(), () -> new Helm(dir()).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(valuesFile).call());
    }
}
