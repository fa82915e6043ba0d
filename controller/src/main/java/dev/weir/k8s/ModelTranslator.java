package dev.weir.k8s;

import dev.weir.model.DenialLogging;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.ObjectKey;
import dev.weir.model.Protocol;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates fabric8 model objects into weir's {@code dev.weir.model} records. Pure: no client, no I/O. Everything the
 * API server would refuse comes back as {@link dev.weir.model.Diagnostic}s naming the object and the field path (for
 * example {@code NetworkPolicy dev/web: spec.ingress[0].from[1].ipBlock.cidr: invalid CIDR "10.0.0.0/33"}), and the
 * object is left out whole.
 */
public final class ModelTranslator {

    /** The label the API server sets on every namespace (immutable, equal to the name). */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    /** The namespace of an object that names none, as {@code kubectl apply} without {@code -n} would use. */
    public static final String DEFAULT_NAMESPACE = "default";

    /**
     * The namespace annotation that turns the denied-traffic log off ({@code "false"}) or on ({@code "true"}) for its
     * pods ({@code docs/denials.md}).
     */
    public static final String LOG_DENIALS_ANNOTATION = "weir.dev/log-denials";

    private ModelTranslator() {
    }

    /**
     * A namespace with its labels, plus {@value #NAMESPACE_NAME_LABEL} when the object lacks it, and its
     * {@value #LOG_DENIALS_ANNOTATION} setting: an unreadable value is a warning and counts as none.
     */
    public static Translated<Namespace> namespace(io.fabric8.kubernetes.api.model.Namespace in) {
        return Isolation.translate(Isolation.ref(ObjectKey.Kind.NAMESPACE, in), () -> namespaceOf(in));
    }

    private static Translated<Namespace> namespaceOf(io.fabric8.kubernetes.api.model.Namespace in) {
        String name = in.getMetadata() == null ? null : in.getMetadata().getName();
        Findings findings = new Findings(ObjectKey.namespace(name == null ? "<unnamed>" : name));
        findings.checkMetadata(name, null, true);
        Map<String, String> labels = new HashMap<>(labelsOf(in.getMetadata()));
        labels.put(NAMESPACE_NAME_LABEL, name);
        DenialLogging logging = denialLogging(annotation(in.getMetadata(), LOG_DENIALS_ANNOTATION), findings);
        return findings.result(() -> new Namespace(name, labels, logging));
    }

    /** {@code "true"} or {@code "false"}, exactly, as Kubernetes writes booleans; anything else is a warning. */
    private static DenialLogging denialLogging(String value, Findings findings) {
        if (value == null) {
            return DenialLogging.DEFAULT;
        }
        return switch (value) {
            case "true" -> DenialLogging.ON;
            case "false" -> DenialLogging.OFF;
            default -> {
                findings.warn(annotationField(LOG_DENIALS_ANNOTATION), "must be \"true\" or \"false\", not \""
                        + value + "\"; ignored, so the node's setting decides whether this namespace's denials are"
                        + " logged");
                yield DenialLogging.DEFAULT;
            }
        };
    }

    /** An annotation's value, or null when the object has none of that key. */
    public static String annotation(ObjectMeta meta, String key) {
        return meta == null || meta.getAnnotations() == null ? null : meta.getAnnotations().get(key);
    }

    /** How diagnostics name an annotation: {@code metadata.annotations[weir.dev/log-denials]}. */
    public static String annotationField(String key) {
        return "metadata.annotations[" + key + "]";
    }

    /**
     * A pod as an {@link Endpoint}: labels, {@code status.podIPs} (or {@code status.podIP}), {@code spec.nodeName},
     * {@code spec.hostNetwork}, the phase (absent counts as Running) and the ports of all containers and init
     * containers (protocol defaults to TCP).
     */
    public static Translated<Endpoint> pod(Pod in) {
        return Isolation.translate(Isolation.ref(ObjectKey.Kind.POD, in), () -> PodTranslator.translate(in));
    }

    /**
     * A node: labels and the {@code InternalIP}/{@code ExternalIP} entries of {@code status.addresses} (what a
     * ClusterNetworkPolicy {@code nodes} peer matches); a malformed address rejects the node.
     */
    public static Translated<Node> node(io.fabric8.kubernetes.api.model.Node in) {
        return Isolation.translate(Isolation.ref(ObjectKey.Kind.NODE, in), () -> NodeTranslator.translate(in));
    }

    /** A {@code networking.k8s.io/v1} NetworkPolicy, validated as the API server validates it. */
    public static Translated<NetworkPolicy> networkPolicy(
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy in) {
        return Isolation.translate(Isolation.ref(ObjectKey.Kind.NETWORK_POLICY, in),
                () -> NetworkPolicyTranslator.translate(in));
    }

    static String namespaceOf(ObjectMeta meta) {
        String ns = meta == null ? null : meta.getNamespace();
        return ns == null || ns.isEmpty() ? DEFAULT_NAMESPACE : ns;
    }

    static Map<String, String> labelsOf(ObjectMeta meta) {
        if (meta == null || meta.getLabels() == null) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        meta.getLabels().forEach((k, v) -> out.put(k, v == null ? "" : v));
        return out;
    }

    /** The API spells protocols exactly {@code TCP}, {@code UDP} or {@code SCTP}; omitted means TCP. */
    static Optional<Protocol> protocol(String text, String field, Findings findings) {
        if (text == null) {
            return Optional.of(Protocol.TCP);
        }
        for (Protocol p : Protocol.values()) {
            if (p.name().equals(text)) {
                return Optional.of(p);
            }
        }
        findings.error(field, "unsupported value \"" + text + "\": supported values: "
                + String.join(", ", List.of("\"SCTP\"", "\"TCP\"", "\"UDP\"")));
        return Optional.empty();
    }
}
