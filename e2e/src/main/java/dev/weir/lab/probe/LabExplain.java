package dev.weir.lab.probe;

import dev.weir.explain.Explainer;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.Translated;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@code weir explain} says about the lab right now: the lab API server's Namespaces, Pods and NetworkPolicies,
 * translated with {@link ModelTranslator}, compiled and evaluated with {@link Reachability}. Rejected objects are
 * reported through {@code diagnostics} and left out, as the agents leave them out.
 *
 * <p>HOOK(cnp): ClusterNetworkPolicies are not compared yet. Once {@code ClusterSnapshot} carries cluster policies,
 * list them here ({@code client.resources(dev.weir.crd.ClusterNetworkPolicy.class)}), translate each with
 * {@code dev.weir.k8s.admin.ClusterPolicyTranslator.translate} (reporting its diagnostics) and pass them on.
 */
public final class LabExplain {

    private LabExplain() {
    }

    public static TruthTable table(KubernetesClient client, List<String> pods, List<PortProtocol> targets,
            Consumer<Diagnostic> diagnostics) {
        List<Namespace> namespaces = new ArrayList<>();
        client.namespaces().list().getItems()
                .forEach(n -> keep(ModelTranslator.namespace(n), namespaces, diagnostics));
        List<Endpoint> endpoints = new ArrayList<>();
        client.pods().inAnyNamespace().list().getItems()
                .forEach(p -> keep(ModelTranslator.pod(p), endpoints, diagnostics));
        List<NetworkPolicy> policies = new ArrayList<>();
        client.network().v1().networkPolicies().inAnyNamespace().list().getItems()
                .forEach(p -> keep(ModelTranslator.networkPolicy(p), policies, diagnostics));
        Reachability r = new Reachability(PolicyCompiler.compile(new ClusterSnapshot(namespaces, endpoints,
                policies)));
        return Explainer.table(r, pods, targets);
    }

    private static <T> void keep(Translated<T> t, List<T> into, Consumer<Diagnostic> diagnostics) {
        t.value().ifPresent(into::add);
        t.diagnostics().forEach(diagnostics);
    }
}
