package dev.weir.k8s;

import dev.weir.k8s.admin.ClusterPolicyManifests;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads Kubernetes manifests — files, directories ({@code *.yaml}, {@code *.yml}, {@code *.json}, sorted, not
 * recursive) and {@code -} for stdin — into a {@link ClusterSnapshot}. Accepts multi-document YAML, JSON and
 * {@code kind: List} (what {@code kubectl get ns,pods,netpol -A -o yaml} prints). Namespace, Pod, Node,
 * {@code networking.k8s.io/v1} NetworkPolicy and {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy are
 * read; other kinds are skipped with a note.
 *
 * <p>What a manifest lacks and a cluster would have is filled in, each time with a note: namespaces that objects refer
 * to but that are not given are created with only {@code kubernetes.io/metadata.name}; pods without
 * {@code status.podIP} get an address from {@code 10.254.0.0/16} (hostNetwork pods on a given node get the node's
 * address); pods without a phase count as Running. A document
 * that does not parse, or an object the API server would reject, becomes a {@link Diagnostic}; everything else still
 * loads.
 */
public final class ManifestLoader {

    private ManifestLoader() {
    }

    public static LoadResult load(List<String> sources, InputStream stdin) {
        Collected c = new Collected();
        for (String source : sources) {
            for (Source s : expand(source, stdin, c)) {
                read(s, c);
            }
        }
        return c.finish();
    }

    /**
     * Reads manifests held in memory ({@code weir explain --cluster}: the live objects as one {@code kind: List}),
     * exactly as a file of that content named {@code name}.
     */
    public static LoadResult load(String name, String content) {
        Collected c = new Collected();
        read(new Source(name, content), c);
        return c.finish();
    }

    private static void read(Source s, Collected c) {
        for (ManifestDocuments.Document d : ManifestDocuments.read(s.content())) {
            if (d instanceof ManifestDocuments.Parsed p) {
                readObject(s.name(), p.index(), p.root(), c);
            } else if (d instanceof ManifestDocuments.Broken b) {
                c.fileProblem(s.name(), b.index(), b.problem());
            } else {
                throw new AssertionError(d);
            }
        }
    }

    private record Source(String name, String content) {
    }

    private static List<Source> expand(String source, InputStream stdin, Collected c) {
        if ("-".equals(source)) {
            try {
                return List.of(new Source("<stdin>", new String(stdin.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                c.fileProblem("<stdin>", null, "cannot read: " + e.getMessage());
                return List.of();
            }
        }
        Path path = Path.of(source);
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                List<Source> out = new ArrayList<>();
                for (Path p : files.filter(ManifestLoader::isManifest).sorted().toList()) {
                    out.addAll(expand(p.toString(), stdin, c));
                }
                if (out.isEmpty()) {
                    c.notes.add("directory " + source + " holds no *.yaml, *.yml or *.json file");
                }
                return out;
            } catch (IOException | UncheckedIOException e) {
                c.fileProblem(source, null, "cannot list directory: " + e.getMessage());
                return List.of();
            }
        }
        if (!Files.isRegularFile(path)) {
            c.fileProblem(source, null, "no such file or directory");
            return List.of();
        }
        try {
            return List.of(new Source(source, Files.readString(path, StandardCharsets.UTF_8)));
        } catch (IOException | UncheckedIOException e) {
            c.fileProblem(source, null, "cannot read: " + e.getMessage());
            return List.of();
        }
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
    }

    private static void readObject(String file, int doc, JsonNode node, Collected c) {
        if (!node.isObject()) {
            c.fileProblem(file, doc, "expected a Kubernetes object (a mapping with apiVersion and kind)");
            return;
        }
        String kind = node.path("kind").asString("");
        String apiVersion = node.path("apiVersion").asString("");
        if (kind.endsWith("List") && node.path("items").isArray()) {
            for (JsonNode item : node.path("items").values()) {
                readObject(file, doc, item, c);
            }
            return;
        }
        try {
            switch (kind) {
                case "Namespace" -> c.accept(ModelTranslator.namespace(
                        convert(node, io.fabric8.kubernetes.api.model.Namespace.class)), c.namespaces,
                        Namespace::name);
                case "Pod" -> c.accept(ModelTranslator.pod(convert(node, Pod.class)), c.pods,
                        e -> e.key().namespacedName());
                case "Node" -> {
                    io.fabric8.kubernetes.api.model.Node n = convert(node, io.fabric8.kubernetes.api.model.Node.class);
                    Translated<Node> t = ModelTranslator.node(n);
                    c.accept(t, c.nodes, Node::name);
                    t.value().ifPresent(v -> c.hostIps.put(v.name(), NodeTranslator.hostIps(n)));
                    t.value().ifPresent(v -> ServiceTranslator.masqueradeAddress(n)
                            .ifPresent(a -> c.masquerade.put(v.name(), a)));
                }
                case "Service" -> {
                    ServiceTranslator.Translation t = ServiceTranslator.translate(
                            convert(node, io.fabric8.kubernetes.api.model.Service.class));
                    t.service().ifPresent(s -> c.services.put(s.key(), s));
                    t.skipped().ifPresent(c.notes::add);
                }
                case "NetworkPolicy" -> {
                    if (!"networking.k8s.io/v1".equals(apiVersion)) {
                        c.skipped(kind + " " + apiVersion);
                        return;
                    }
                    c.accept(ModelTranslator.networkPolicy(convert(node,
                            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class)), c.policies,
                            p -> p.key().namespacedName());
                }
                case "ClusterNetworkPolicy" -> clusterPolicy(node, c);
                default -> c.skipped(kind.isEmpty() ? "<no kind>" : kind);
            }
        } catch (JacksonException e) { // a value of the wrong type: the API server would refuse the object too
            Findings findings = new Findings(ref(kind, node));
            findings.error(e);
            c.diagnostics.addAll(findings.rejected().diagnostics());
        } catch (RuntimeException e) { // anything else reading one object costs that object only
            c.fileProblem(file, doc, ref(kind, node) + ": cannot read object: " + firstLine(e));
        }
    }

    /** The object's name in messages, from a tree whose metadata may be anything. */
    private static ObjectKey ref(String kind, JsonNode node) {
        // only the kinds read above get this far; the others are skipped before anything can fail
        ObjectKey.Kind k = ObjectKey.Kind.ofApiKind(kind)
                .orElseThrow(() -> new IllegalStateException("not a kind weir reads: " + kind));
        JsonNode meta = node.path("metadata");
        String name = meta.path("name").isString() ? meta.path("name").asString() : "<unnamed>";
        String namespace = meta.path("namespace").isString() && !meta.path("namespace").asString().isEmpty()
                ? meta.path("namespace").asString() : ModelTranslator.DEFAULT_NAMESPACE;
        return new ObjectKey(k, k.namespaced() ? namespace : null, name.isEmpty() ? "<unnamed>" : name);
    }

    /**
     * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2): a valid one goes into the snapshot (its warnings,
     * e.g. a peer that fails closed, become notes); a broken one is rejected whole with diagnostics, like any object.
     */
    private static void clusterPolicy(JsonNode node, Collected c) {
        Translated<ClusterPolicy> t = ClusterPolicyManifests.translate(convert(node, GenericKubernetesResource.class));
        if (t.isAccepted()) {
            ClusterPolicy p = t.value().get();
            if (c.clusterPolicies.put(p.name(), p) != null) {
                c.replaced.add(p.key().toString());
            }
            t.diagnostics().forEach(w -> c.notes.add("warning: " + w));
        } else {
            c.diagnostics.addAll(t.diagnostics());
        }
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        return Serialization.jsonMapper().treeToValue(node, type);
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** What the documents held so far; later objects with the same key replace earlier ones, as kubectl apply. */
    private static final class Collected {
        final Map<String, Namespace> namespaces = new TreeMap<>();
        final Map<String, Endpoint> pods = new TreeMap<>();
        final Map<String, NetworkPolicy> policies = new TreeMap<>();
        final List<Diagnostic> diagnostics = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Map<String, Integer> skippedKinds = new TreeMap<>();
        final List<String> replaced = new ArrayList<>();
        final Map<String, ClusterPolicy> clusterPolicies = new TreeMap<>();
        final Map<String, Node> nodes = new TreeMap<>();
        final Map<String, List<IpAddress>> hostIps = new TreeMap<>();
        final Map<String, dev.weir.model.Service> services = new TreeMap<>();
        final Map<String, IpAddress> masquerade = new TreeMap<>();

        /** A rejected object's errors are diagnostics; an accepted one's warnings are notes. */
        <T> void accept(Translated<T> t, Map<String, T> into, java.util.function.Function<T, String> key) {
            if (t.isAccepted()) {
                t.diagnostics().forEach(w -> notes.add("warning: " + w));
            } else {
                diagnostics.addAll(t.diagnostics());
            }
            t.value().ifPresent(v -> {
                if (into.put(key.apply(v), v) != null) {
                    replaced.add(key.apply(v));
                }
            });
        }

        void skipped(String kind) {
            skippedKinds.merge(kind, 1, Integer::sum);
        }

        void fileProblem(String file, Integer doc, String message) {
            diagnostics.add(new Diagnostic("File " + file, doc == null ? null : "document " + doc,
                    message));
        }

        LoadResult finish() {
            skippedKinds.forEach((kind, n) -> notes.add("ignored " + n + " object" + (n == 1 ? "" : "s")
                    + " of kind " + kind + " (weir explain reads Namespace, Pod, Node, networking.k8s.io/v1 "
                    + "NetworkPolicy, policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy and, for --to svc/NS/NAME, "
                    + "Service)"));
            if (!replaced.isEmpty()) {
                notes.add("given more than once, the last one counts: " + String.join(", ", replaced));
            }
            List<String> missing = new ArrayList<>();
            java.util.SortedSet<String> referenced = new java.util.TreeSet<>();
            pods.values().forEach(p -> referenced.add(p.namespace()));
            policies.values().forEach(p -> referenced.add(p.namespace()));
            for (String ns : referenced) {
                if (!namespaces.containsKey(ns)) {
                    namespaces.put(ns, new Namespace(ns, Map.of(ModelTranslator.NAMESPACE_NAME_LABEL, ns)));
                    missing.add(ns);
                }
            }
            if (!missing.isEmpty()) {
                notes.add("namespaces not given were assumed with only the kubernetes.io/metadata.name label: "
                        + String.join(", ", missing));
            }
            List<Endpoint> endpoints = SyntheticAddresses.assign(new ArrayList<>(pods.values()), hostIps, notes);
            ClusterSnapshot snapshot = new ClusterSnapshot(new ArrayList<>(namespaces.values()), endpoints,
                    new ArrayList<>(policies.values()), new ArrayList<>(clusterPolicies.values()),
                    new ArrayList<>(nodes.values()));
            return new LoadResult(snapshot, diagnostics, notes, new ArrayList<>(services.values()),
                    masquerade); // notes in the order found: file by file
        }
    }
}
