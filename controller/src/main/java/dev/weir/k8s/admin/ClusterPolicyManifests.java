package dev.weir.k8s.admin;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.k8s.Findings;
import dev.weir.k8s.Translated;
import dev.weir.model.ObjectRef;
import dev.weir.model.admin.ClusterPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * ClusterNetworkPolicy objects read from YAML or JSON text (files, {@code kubectl get -o yaml}, multi-document
 * streams, {@code kind: List}): every {@code policy.networking.k8s.io} ClusterNetworkPolicy in the text is translated,
 * other kinds are ignored. Pure apart from parsing the given text.
 */
public final class ClusterPolicyManifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ClusterPolicyManifests() {
    }

    /** Every ClusterNetworkPolicy in {@code text}, in document order. Text that does not parse is one rejection. */
    public static List<Translated<ClusterPolicy>> translate(String text) {
        Object parsed;
        try {
            parsed = SERIALIZATION.unmarshal(text);
        } catch (RuntimeException e) {
            Findings findings = new Findings(new ObjectRef(ClusterPolicy.KIND, null, "<unparsable manifest>"));
            findings.error("", "not YAML or JSON: " + firstLine(e.getMessage()));
            return List.of(findings.rejected());
        }
        List<Translated<ClusterPolicy>> out = new ArrayList<>();
        collect(parsed, out);
        return out;
    }

    /** One object as a generic resource (an informer on the generic API, a parsed document). */
    public static Translated<ClusterPolicy> translate(GenericKubernetesResource resource) {
        String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
        Findings findings = new Findings(new ObjectRef(ClusterPolicy.KIND, null,
                name == null || name.isEmpty() ? "<unnamed>" : name));
        String apiVersion = resource.getApiVersion();
        String expected = ClusterNetworkPolicy.GROUP + "/" + ClusterNetworkPolicy.VERSION;
        if (!expected.equals(apiVersion)) {
            findings.error("apiVersion", "weir reads " + expected + ", not " + apiVersion);
            return findings.rejected();
        }
        ClusterNetworkPolicy typed;
        try {
            // through JSON text rather than convertValue: the parser's exceptions keep the field path
            typed = SERIALIZATION.unmarshal(SERIALIZATION.asJson(resource), ClusterNetworkPolicy.class);
        } catch (RuntimeException e) {
            JacksonException j = jacksonCause(e);
            if (j == null) {
                findings.error("", firstLine(e.getMessage()));
            } else {
                findings.error(path(j), firstLine(j.getOriginalMessage()));
            }
            return findings.rejected();
        }
        return ClusterPolicyTranslator.translate(typed);
    }

    private static void collect(Object parsed, List<Translated<ClusterPolicy>> out) {
        if (parsed instanceof List<?> list) {
            list.forEach(o -> collect(o, out));
        } else if (parsed instanceof KubernetesList list) {
            list.getItems().forEach(o -> collect(o, out));
        } else if (parsed instanceof GenericKubernetesResource g && ClusterPolicy.KIND.equals(g.getKind())
                && g.getApiVersion() != null && g.getApiVersion().startsWith(ClusterNetworkPolicy.GROUP + "/")) {
            out.add(translate(g));
        }
    }

    private static JacksonException jacksonCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException j && !j.getPath().isEmpty()) {
                return j;
            }
        }
        return null;
    }

    /** Jackson's reference chain as a field path, e.g. {@code spec.egress[0].action}. */
    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
