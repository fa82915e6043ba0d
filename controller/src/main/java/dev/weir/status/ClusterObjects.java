package dev.weir.status;

import dev.weir.crd.ClusterNetworkPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Listable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code weir status} and {@code weir explain --cluster} read from a live cluster, each kind listed once:
 * Namespaces, Pods, Nodes, NetworkPolicies, ClusterNetworkPolicies and the agents' NodePolicyReports. A kind the
 * API server does not serve (a CRD not installed) is read as none, with a note saying so; any other error of the API
 * server is thrown. The only class here that talks to the API server.
 */
public record ClusterObjects(List<Namespace> namespaces, List<Pod> pods, List<Node> nodes,
        List<NetworkPolicy> networkPolicies, List<GenericKubernetesResource> clusterNetworkPolicies,
        List<GenericKubernetesResource> reports, List<String> notes) {

    static final long PAGE = 500;

    /** The report CRD's coordinates (weir.dev/v1alpha1 NodePolicyReport, cluster-scoped). */
    public static final ResourceDefinitionContext REPORTS = new ResourceDefinitionContext.Builder().withGroup("weir.dev")
            .withVersion("v1alpha1").withKind("NodePolicyReport").withPlural("nodepolicyreports")
            .withNamespaced(false).build();
    static final ResourceDefinitionContext CLUSTER_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup(ClusterNetworkPolicy.GROUP).withVersion(ClusterNetworkPolicy.VERSION)
            .withKind(ClusterNetworkPolicy.KIND).withPlural("clusternetworkpolicies").withNamespaced(false).build();

    public ClusterObjects {
        namespaces = List.copyOf(namespaces);
        pods = List.copyOf(pods);
        nodes = List.copyOf(nodes);
        networkPolicies = List.copyOf(networkPolicies);
        clusterNetworkPolicies = List.copyOf(clusterNetworkPolicies);
        reports = List.copyOf(reports);
        notes = List.copyOf(notes);
    }

    /** Lists every kind; {@code withReports} false leaves the reports out (explain does not need them). */
    public static ClusterObjects read(KubernetesClient client, boolean withReports) {
        Objects.requireNonNull(client, "client");
        List<String> notes = new ArrayList<>();
        List<GenericKubernetesResource> cnps = optional(client, CLUSTER_POLICIES, notes,
                "ClusterNetworkPolicy is not served (its CRD is not installed): none read");
        List<GenericKubernetesResource> reports = withReports ? optional(client, REPORTS, notes,
                "NodePolicyReport is not served (weir's CRDs are not installed): no node reports read") : List.of();
        return new ClusterObjects(all(client.namespaces()), all(client.pods().inAnyNamespace()), all(client.nodes()),
                all(client.network().v1().networkPolicies().inAnyNamespace()), cnps, reports, notes);
    }

    /** Every object of a kind, in pages of {@value #PAGE} as kubectl and the agents' informers list. */
    private static <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> all(Listable<L> kind) {
        List<T> out = new ArrayList<>();
        String next = null;
        do {
            L page = kind.list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
            out.addAll(page.getItems());
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return out;
    }

    private static List<GenericKubernetesResource> optional(KubernetesClient client, ResourceDefinitionContext kind,
            List<String> notes, String absent) {
        try {
            List<GenericKubernetesResource> items = all(client.genericKubernetesResources(kind));
            // list items of some servers carry no apiVersion and kind; readers of the objects want them
            items.forEach(i -> {
                i.setApiVersion(kind.getGroup() + "/" + kind.getVersion());
                i.setKind(kind.getKind());
            });
            return items;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                notes.add(absent);
                return List.of();
            }
            throw e;
        }
    }

    /**
     * The objects {@code weir explain} reads, as one {@code kind: List} document (what
     * {@code kubectl get ns,pods,nodes,netpol,cnp -A -o json} would print), so that the cluster goes through the same
     * loader as files.
     */
    public String explainManifest() {
        ObjectNode list = Serialization.jsonMapper().createObjectNode();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        ArrayNode items = list.putArray("items");
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(namespaces);
        all.addAll(nodes);
        all.addAll(pods);
        all.addAll(networkPolicies);
        all.addAll(clusterNetworkPolicies);
        all.forEach(o -> items.add(Serialization.jsonMapper().valueToTree(o)));
        return Serialization.jsonMapper().writeValueAsString(list);
    }
}
