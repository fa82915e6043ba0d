package dev.weir.lab.cli;

import dev.weir.cli.Args;
import dev.weir.cli.Main;
import dev.weir.lab.state.StateStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code weir lab kubectl ...} runs the real kubectl against the lab (adding {@code --kubeconfig}, and
 * {@code --validate=false} for apply/create: the mock serves no OpenAPI); {@code apply}, {@code delete} and
 * {@code label} do the same through fabric8 for machines without kubectl.
 */
final class LabKubectl {

    private LabKubectl() {
    }

    static int kubectl(List<String> args, PrintStream err) throws Exception {
        return kubectl(args, null, err);
    }

    /** As {@link #kubectl(List, PrintStream)}; with {@code out} kubectl's output is copied there instead of inherited. */
    static int kubectl(List<String> args, PrintStream out, PrintStream err) throws Exception {
        List<String> rest = new ArrayList<>(args);
        String stateDir = null;
        int i = rest.indexOf("--state-dir");
        if (i >= 0 && i + 1 < rest.size()) {
            stateDir = rest.remove(i + 1);
            rest.remove(i);
        }
        StateStore store = StateStore.resolve(Optional.ofNullable(stateDir));
        Main.UsageException.check(Files.exists(store.kubeconfig()), "no lab kubeconfig in %s (is the lab up?)",
                store.dir());
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", store.kubeconfig().toString()));
        argv.addAll(withValidateOff(rest));
        try {
            if (out == null) {
                return new ProcessBuilder(argv).inheritIO().start().waitFor();
            }
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            p.getInputStream().transferTo(out);
            return p.waitFor();
        } catch (IOException e) {
            err.println("weir lab kubectl: cannot run kubectl (" + e.getMessage() + "); use weir lab apply|delete|label");
            return 1;
        }
    }

    /** kubectl fails to download OpenAPI from the mock unless told not to validate. */
    static List<String> withValidateOff(List<String> args) {
        List<String> out = new ArrayList<>(args);
        boolean writes = !args.isEmpty() && (args.get(0).equals("apply") || args.get(0).equals("create")
                || args.get(0).equals("replace"));
        if (writes && args.stream().noneMatch(a -> a.startsWith("--validate"))) {
            out.add(1, "--validate=false");
        }
        return out;
    }

    static int fabric8(String verb, List<String> args, PrintStream out) throws Exception {
        Args a = LabCommand.parse(args, Set.of("-f", "-n"));
        StateStore store = StateStore.resolve(a.value("--state-dir"));
        Main.UsageException.check(Files.exists(store.kubeconfig()), "no lab kubeconfig in %s (is the lab up?)",
                store.dir());
        Config config = Config.fromKubeconfig(Files.readString(store.kubeconfig()));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            if (verb.equals("label")) {
                return label(client, a, out);
            }
            Main.UsageException.check(a.value("-f").isPresent(), "%s needs -f FILE", verb);
            List<HasMetadata> items;
            try (InputStream in = Files.newInputStream(Path.of(a.value("-f").get()))) {
                items = client.load(in).items();
            }
            for (HasMetadata item : items) {
                String what = item.getKind().toLowerCase() + "/" + item.getMetadata().getName();
                if (verb.equals("apply")) {
                    item.getMetadata().setResourceVersion(null);
                    client.resource(item).createOr(NonDeletingOperation::update);
                    out.println(what + " applied");
                } else {
                    client.resource(item).delete();
                    out.println(what + " deleted");
                }
            }
            return 0;
        }
    }

    private static int label(KubernetesClient client, Args a, PrintStream out) {
        List<String> pos = a.positional();
        Main.UsageException.check(pos.size() >= 3, "label KIND NAME KEY=VALUE|KEY- ...");
        String kind = pos.get(0).toLowerCase();
        String name = pos.get(1);
        String ns = a.value("-n", "default");
        var resource = switch (kind) {
            case "ns", "namespace", "namespaces" -> client.namespaces().withName(name);
            case "pod", "pods", "po" -> client.pods().inNamespace(ns).withName(name);
            default -> throw new Main.UsageException("label works on namespaces and pods, not " + kind);
        };
        resource.edit(o -> {
            HasMetadata h = (HasMetadata) o;
            var labels = h.getMetadata().getLabels() == null ? new HashMap<String, String>()
                    : new HashMap<>(h.getMetadata().getLabels());
            for (String kv : pos.subList(2, pos.size())) {
                if (kv.endsWith("-")) {
                    labels.remove(kv.substring(0, kv.length() - 1));
                } else {
                    int eq = kv.indexOf('=');
                    Main.UsageException.check(eq > 0, "label wants KEY=VALUE or KEY-, got %s", kv);
                    labels.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            h.getMetadata().setLabels(labels);
            return o;
        });
        out.println(kind + "/" + name + " labeled");
        return 0;
    }
}
