package dev.weir.lab.cli;

import dev.weir.cli.Main;
import dev.weir.cli.Subcommand;
import dev.weir.lab.api.ObjectWrites;
import dev.weir.lab.state.StateStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weir lab apply|delete|label}: the kubectl verbs the lab needs, through fabric8, where kubectl is missing. */
final class LabObjects {

    private LabObjects() {
    }

    /** {@code -f FILE} and {@code --state-dir}: what apply and delete take. */
    abstract static class FileVerb implements Subcommand {
        @Mixin
        LabSupport.StateDir state;

        @Option(names = "-f", paramLabel = "FILE", required = true, description = "the objects")
        Path file;
    }

    @Command(name = "apply", description = "kubectl apply -f FILE through fabric8, where kubectl is missing.")
    static final class Apply extends FileVerb {
        @Override
        public int run(PrintStream out, PrintStream err) throws Exception {
            return apply(state.store(), file, out);
        }
    }

    @Command(name = "delete", description = "kubectl delete -f FILE through fabric8, where kubectl is missing.")
    static final class Delete extends FileVerb {
        @Override
        public int run(PrintStream out, PrintStream err) throws Exception {
            try (KubernetesClient client = client(state.store())) {
                for (HasMetadata item : load(client, file)) {
                    client.resource(item).delete();
                    out.println(name(item) + " deleted");
                }
            }
            return 0;
        }
    }

    @Command(name = "label", description = "kubectl label through fabric8, for namespaces and pods.")
    static final class Label implements Subcommand {
        @Mixin
        LabSupport.StateDir state;

        @Parameters(index = "0", paramLabel = "KIND", description = "ns or pod")
        String kind;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Parameters(index = "2..*", arity = "1..*", paramLabel = "KEY=VALUE|KEY-",
                description = "set a label, or remove one")
        List<String> changes;

        @Option(names = "-n", paramLabel = "NS", defaultValue = "default",
                description = "the pod's namespace (default ${DEFAULT-VALUE})")
        String namespace;

        @Override
        public int run(PrintStream out, PrintStream err) throws Exception {
            try (KubernetesClient client = client(state.store())) {
                String k = kind.toLowerCase();
                var resource = switch (k) {
                    case "ns", "namespace", "namespaces" -> client.namespaces().withName(name);
                    case "pod", "pods", "po" -> client.pods().inNamespace(namespace).withName(name);
                    default -> throw new Main.UsageException("label works on namespaces and pods, not " + k);
                };
                resource.edit(o -> {
                    HasMetadata h = (HasMetadata) o;
                    var labels = h.getMetadata().getLabels() == null ? new HashMap<String, String>()
                            : new HashMap<>(h.getMetadata().getLabels());
                    for (String kv : changes) {
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
                out.println(k + "/" + name + " labeled");
            }
            return 0;
        }
    }

    /** Creates or replaces every object in {@code file}. */
    static int apply(StateStore store, Path file, PrintStream out) throws Exception {
        try (KubernetesClient client = client(store)) {
            for (HasMetadata item : load(client, file)) {
                ObjectWrites.createOrReplace(client, item);
                out.println(name(item) + " applied");
            }
        }
        return 0;
    }

    private static KubernetesClient client(StateStore store) throws Exception {
        Main.UsageException.check(Files.exists(store.kubeconfig()), "no lab kubeconfig in %s (is the lab up?)",
                store.dir());
        Config config = Config.fromKubeconfig(Files.readString(store.kubeconfig()));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static List<HasMetadata> load(KubernetesClient client, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        }
    }

    private static String name(HasMetadata item) {
        return item.getKind().toLowerCase() + "/" + item.getMetadata().getName();
    }
}
