package dev.weir.k8s.admin;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.k8s.Findings;
import dev.weir.k8s.ManifestDocuments;
import dev.weir.k8s.Translated;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * ClusterNetworkPolicy objects read from YAML or JSON text (files, {@code kubectl get -o yaml}, multi-document
 * streams, {@code kind: List}): every {@code policy.networking.k8s.io} ClusterNetworkPolicy in the text is translated,
 * other kinds are ignored. Pure apart from parsing the given text.
 */
public final class ClusterPolicyManifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ClusterPolicyManifests() {
    }

    /**
     * Every ClusterNetworkPolicy in {@code text}, in document order. A document that does not parse is one rejection;
     * the others are still read.
     */
    public static List<Translated<ClusterPolicy>> translate(String text) {
        List<Translated<ClusterPolicy>> out = new ArrayList<>();
        for (ManifestDocuments.Document d : ManifestDocuments.read(text)) {
            if (d instanceof ManifestDocuments.Parsed p) {
                collect(p.root(), out);
            } else if (d instanceof ManifestDocuments.Broken b) {
                Findings findings = new Findings(ObjectKey.clusterNetworkPolicy("<unparsable manifest>"));
                findings.error("document " + b.index(), b.problem());
                out.add(findings.rejected());
            } else {
                throw new AssertionError(d);
            }
        }
        return out;
    }

    /** One object as a generic resource (an informer on the generic API, a parsed document). */
    public static Translated<ClusterPolicy> translate(GenericKubernetesResource resource) {
        String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
        Findings findings = new Findings(ObjectKey.clusterNetworkPolicy(name == null || name.isEmpty() ? "<unnamed>"
                : name));
        String apiVersion = resource.getApiVersion();
        String expected = ClusterNetworkPolicy.GROUP + "/" + ClusterNetworkPolicy.VERSION;
        if (!expected.equals(apiVersion)) {
            findings.error("apiVersion", "weir reads " + expected + ", not " + apiVersion);
            return findings.rejected();
        }
        pruneNullValues(resource.getAdditionalProperties());
        ClusterNetworkPolicy typed;
        try {
            // through JSON text rather than convertValue: the parser's exceptions keep the field path
            typed = SERIALIZATION.unmarshal(SERIALIZATION.asJson(resource), ClusterNetworkPolicy.class);
        } catch (RuntimeException e) {
            JacksonException j = jacksonCause(e);
            if (j == null) {
                findings.error("", firstLine(e.getMessage()));
            } else {
                findings.error(j);
            }
            return findings.rejected();
        }
        return ClusterPolicyTranslator.translate(typed);
    }

    /**
     * Drops every map entry whose value is null, at any depth, and keeps null list items: what the API server does to
     * a custom resource before validating it ({@code PruneNonNullableNullsWithoutDefaults}, for a schema like this
     * CRD's that has no nullable field and no default), so a file reads as the stored object would. A null list item
     * stays and is rejected, as the API server rejects it (it is not an object).
     */
    private static void pruneNullValues(Object node) {
        if (node instanceof java.util.Map<?, ?> map) {
            map.values().removeIf(java.util.Objects::isNull);
            map.values().forEach(ClusterPolicyManifests::pruneNullValues);
        } else if (node instanceof List<?> list) {
            list.forEach(ClusterPolicyManifests::pruneNullValues);
        }
    }

    /** Arrays and {@code kind: List} items are unpacked; other kinds are ignored. */
    private static void collect(JsonNode node, List<Translated<ClusterPolicy>> out) {
        if (node.isArray()) {
            node.values().forEach(n -> collect(n, out));
        } else if (node.path("items").isArray()) {
            node.path("items").values().forEach(n -> collect(n, out));
        } else if (ObjectKey.Kind.CLUSTER_NETWORK_POLICY.apiKind().equals(node.path("kind").asString(""))
                && node.path("apiVersion").asString("").startsWith(ClusterNetworkPolicy.GROUP + "/")) {
            GenericKubernetesResource resource;
            try {
                resource = SERIALIZATION.convertValue(node, GenericKubernetesResource.class);
            } catch (RuntimeException e) { // e.g. metadata that is not a mapping
                Findings findings = new Findings(ObjectKey.clusterNetworkPolicy(
                        node.path("metadata").path("name").asString("<unnamed>")));
                findings.error("", "cannot read object: " + firstLine(e.getMessage()));
                out.add(findings.rejected());
                return;
            }
            out.add(translate(resource));
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

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
