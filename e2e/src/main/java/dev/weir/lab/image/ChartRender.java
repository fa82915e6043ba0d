package dev.weir.lab.image;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code helm template} of the chart with its default values (helm-java: real Helm, in this JVM), reduced to the agent
 * DaemonSet's container: {@link ChartAgentSpec}. A call into Helm's native library cannot be interrupted, so it runs
 * on a daemon thread and is abandoned after {@link #TIMEOUT_SECONDS} s (TOOLCHAIN.md §3).
 */
public final class ChartRender {

    static final long TIMEOUT_SECONDS = 60;
    private static final Pattern DOCUMENT = Pattern.compile("(?m)^---\\s*$");

    private ChartRender() {
    }

    public static ChartAgentSpec agent(Path chartDir) throws Exception {
        if (!Files.isRegularFile(chartDir.resolve("Chart.yaml"))) {
            throw new IllegalArgumentException("no Helm chart at " + chartDir + " (--chart DIR: charts/weir of a "
                    + "checkout)");
        }
        FutureTask<String> template = new FutureTask<>(() -> new Helm(chartDir).template().withName("weir")
                .withNamespace("kube-system").call());
        Thread t = new Thread(template, "helm-template");
        t.setDaemon(true);
        t.start();
        String yaml;
        try {
            yaml = template.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("helm template " + chartDir + " did not return within " + TIMEOUT_SECONDS
                    + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("helm template " + chartDir + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
        return agent(yaml);
    }

    /** The agent's spec from rendered manifests (multi-document YAML). */
    public static ChartAgentSpec agent(String renderedYaml) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : DOCUMENT.split(renderedYaml)) {
            if (!doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                objects.add(serialization.unmarshal(doc, HasMetadata.class));
            }
        }
        List<DaemonSet> agents = objects.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
                .filter(d -> "agent".equals(d.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .toList();
        if (agents.size() != 1) {
            throw new IllegalArgumentException("the chart rendered " + agents.size() + " agent DaemonSets, not one");
        }
        Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
        objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .forEach(c -> configMaps.put(c.getMetadata().getName(), c));
        return ChartAgentSpec.of(agents.get(0), configMaps);
    }
}
