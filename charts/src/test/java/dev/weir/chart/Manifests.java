package dev.weir.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The objects of one `helm template` run, parsed into fabric8 model types (unknown kinds stay generic). */
record Manifests(List<HasMetadata> objects) {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    Manifests {
        objects = List.copyOf(objects);
    }

    static Manifests parse(String multiDocumentYaml) {
        var objects = new ArrayList<HasMetadata>();
        for (String document : DOCUMENT_SEPARATOR.split(multiDocumentYaml)) {
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
        }
        return new Manifests(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The only object of this type; fails when there is none or more than one. */
    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + " but found " + found.size()
                    + " among " + kinds());
        }
        return found.get(0);
    }

    /** The objects of this type labelled {@code app.kubernetes.io/component: component} (agent, controller, cleanup). */
    <T extends HasMetadata> List<T> all(Class<T> type, String component) {
        return all(type).stream().filter(o -> o.getMetadata().getLabels() != null
                && component.equals(o.getMetadata().getLabels().get("app.kubernetes.io/component"))).toList();
    }

    /** The only object of this type of {@code component}; fails when there is none or more than one. */
    <T extends HasMetadata> T one(Class<T> type, String component) {
        List<T> found = all(type, component);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + component + " " + type.getSimpleName() + " but found "
                    + found.size() + " among " + kinds());
        }
        return found.get(0);
    }

    /** Objects of a kind fabric8 has no model class for (e.g. ServiceMonitor). */
    List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
