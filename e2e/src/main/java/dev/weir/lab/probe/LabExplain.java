package dev.weir.lab.probe;

import dev.weir.crd.ClusterNetworkPolicy;
import dev.weir.explain.Explainer;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.k8s.ModelTranslator;
import dev.weir.lab.topology.LabPlan;
import dev.weir.k8s.Translated;
import dev.weir.k8s.admin.ClusterPolicyTranslator;
import dev.weir.k8s.ServiceTranslator;
import dev.weir.model.ClusterPolicy;
import dev.weir.model.IpAddress;
import dev.weir.model.Service;
import java.util.Map;
import java.util.TreeMap;
import dev.weir.model.ClusterSnapshot;
import dev.weir.model.Diagnostic;
import dev.weir.model.Endpoint;
import dev.weir.model.IpFamily;
import dev.weir.model.Namespace;
import dev.weir.model.NetworkPolicy;
import dev.weir.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@code weir explain} says about the lab right now: the lab API server's Namespaces, Pods, Nodes, NetworkPolicies
 * (translated with {@link ModelTranslator}) and ClusterNetworkPolicies (with {@link ClusterPolicyTranslator}),
 * compiled and evaluated with {@link Reachability}. Rejected objects are reported through {@code diagnostics} and left
 * out, as the agents leave them out; an accepted ClusterNetworkPolicy's warnings are reported and it is kept (its
 * translation already fails closed where the warning says so, as the agents enforce it). Where the API server does
 * not serve ClusterNetworkPolicy (no CRD) there are none.
 */
public final class LabExplain {

    private LabExplain() {
    }

    public static TruthTable table(KubernetesClient client, List<String> pods, List<PortProtocol> targets,
            Consumer<Diagnostic> diagnostics) {
        return Explainer.table(reachability(client, diagnostics), pods, targets);
    }

    /** A lab's Service as explain models it, and what it needs to route: the objects' reachability and nodes. */
    public record ServiceView(Reachability reachability, Service service, Map<String, IpAddress> masquerade) {
    }

    /** The Service {@code namespace/name} of the lab API server, with the rest of what explain reads. */
    public static ServiceView service(KubernetesClient client, String namespace, String name,
            Consumer<Diagnostic> diagnostics) {
        io.fabric8.kubernetes.api.model.Service svc = client.services().inNamespace(namespace).withName(name).get();
        if (svc == null) {
            throw new IllegalArgumentException("no Service " + namespace + "/" + name + " in the lab");
        }
        ServiceTranslator.Translation t = ServiceTranslator.translate(svc);
        Service service = t.service().orElseThrow(() -> new IllegalArgumentException(t.skipped().orElseThrow()));
        Map<String, IpAddress> masquerade = new TreeMap<>();
        client.nodes().list().getItems().forEach(n -> ServiceTranslator.masqueradeAddress(n)
                .ifPresent(a -> masquerade.put(n.getMetadata().getName(), a)));
        return new ServiceView(reachability(client, diagnostics), service, masquerade);
    }


    /**
     * The same for a lab's pods, judging each packet by the source address it really carries: where a hostNetwork
     * pod's packet leaves over VXLAN from {@code flannel.1}'s address, that address ({@link PacketSources}).
     */
    public static TruthTable table(KubernetesClient client, LabPlan plan, List<String> pods,
            List<PortProtocol> targets, Consumer<Diagnostic> diagnostics) {
        return table(client, plan, pods, targets, null, diagnostics);
    }

    /**
     * The same for packets of {@code family} ({@code weir explain --family}): what a prober of that family must see
     * ({@code null}: each pair in the first family both pods have).
     */
    public static TruthTable table(KubernetesClient client, LabPlan plan, List<String> pods,
            List<PortProtocol> targets, IpFamily family, Consumer<Diagnostic> diagnostics) {
        Reachability r = reachability(client, diagnostics);
        return PacketSources.asSent(Explainer.table(r, pods, targets, family), r, plan, family);
    }

    /** The lab API server's objects, translated and compiled as the agents do. */
    public static Reachability reachability(KubernetesClient client, Consumer<Diagnostic> diagnostics) {
        List<Namespace> namespaces = new ArrayList<>();
        client.namespaces().list().getItems()
                .forEach(n -> keep(ModelTranslator.namespace(n), namespaces, diagnostics));
        List<Endpoint> endpoints = new ArrayList<>();
        client.pods().inAnyNamespace().list().getItems()
                .forEach(p -> keep(ModelTranslator.pod(p), endpoints, diagnostics));
        List<Node> nodes = new ArrayList<>();
        client.nodes().list().getItems().forEach(n -> keep(ModelTranslator.node(n), nodes, diagnostics));
        List<NetworkPolicy> policies = new ArrayList<>();
        client.network().v1().networkPolicies().inAnyNamespace().list().getItems()
                .forEach(p -> keep(ModelTranslator.networkPolicy(p), policies, diagnostics));
        List<ClusterPolicy> clusterPolicies = new ArrayList<>();
        clusterNetworkPolicies(client)
                .forEach(c -> keep(ClusterPolicyTranslator.translate(c), clusterPolicies, diagnostics));
        return new Reachability(PolicyCompiler.compile(new ClusterSnapshot(namespaces, endpoints, policies,
                clusterPolicies, nodes)));
    }

    /** None where the API server does not serve the kind (a kind cluster without the CRD), as the agents see it. */
    private static List<ClusterNetworkPolicy> clusterNetworkPolicies(KubernetesClient client) {
        try {
            return client.resources(ClusterNetworkPolicy.class).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    private static <T> void keep(Translated<T> t, List<T> into, Consumer<Diagnostic> diagnostics) {
        t.value().ifPresent(into::add);
        t.diagnostics().forEach(diagnostics);
    }
}
