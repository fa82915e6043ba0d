package dev.weir.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * {@code policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy}: cluster-scoped admin policy from
 * kubernetes-sigs/network-policy-api (the successor of AdminNetworkPolicy and BaselineAdminNetworkPolicy). Field names,
 * limits and validations follow {@code apis/v1alpha2/clusternetworkpolicy_types.go}; the CRD weir ships is generated
 * from these classes. Cluster-scoped because it does not implement {@code Namespaced}. Every nested type ignores
 * unknown fields: an object written against a newer API version must still be read, so that the translator can fail
 * closed on the parts it does not know (as the API asks) instead of losing the whole policy.
 */
@Group(ClusterNetworkPolicy.GROUP)
@Version(ClusterNetworkPolicy.VERSION)
@Kind("ClusterNetworkPolicy")
@Plural("clusternetworkpolicies")
@Singular("clusternetworkpolicy")
@ShortNames("cnp")
@AdditionalPrinterColumn(name = "Tier", jsonPath = ".spec.tier", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Priority", jsonPath = ".spec.priority", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ClusterNetworkPolicy extends CustomResource<ClusterNetworkPolicySpec, ClusterNetworkPolicyStatus> {

    public static final String GROUP = "policy.networking.k8s.io";
    public static final String VERSION = "v1alpha2";
    public static final String KIND = "ClusterNetworkPolicy";
    /** The CRD's metadata.name, also the base of the committed YAML file name. */
    public static final String CRD_NAME = "clusternetworkpolicies." + GROUP;

    /** Overridden only to mark {@code spec} required in the generated schema, as upstream does. */
    @Override
    @Required
    public ClusterNetworkPolicySpec getSpec() {
        return super.getSpec();
    }
}
