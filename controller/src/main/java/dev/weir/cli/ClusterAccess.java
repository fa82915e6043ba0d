package dev.weir.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import picocli.CommandLine.Option;

/**
 * How {@code weir status} and {@code weir explain --cluster} reach the API server (a picocli mixin), as kubectl does:
 * {@code --kubeconfig} (else {@code KUBECONFIG}, else {@code ~/.kube/config}, else the in-cluster service account)
 * and {@code --context} (else the kubeconfig's current context). kubectl passes these flags on to a plugin unchanged,
 * so {@code kubectl weir status --context prod} means the same as with kubectl itself.
 */
final class ClusterAccess {

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig to use (default: KUBECONFIG, ~/.kube/config, in-cluster)")
    private String kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: its current one)")
    private String context;

    boolean given() {
        return kubeconfig != null || context != null;
    }

    Config config() {
        if (kubeconfig == null) {
            return Config.autoConfigure(context);
        }
        File file = new File(kubeconfig);
        Main.UsageException.check(file.canRead(), "--kubeconfig: cannot read %s", kubeconfig);
        return Config.fromKubeconfig(context, file);
    }

    KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The namespace kubectl would use: the context's, else {@code default}. */
    String namespace(Config config) {
        String ns = config.getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }
}
