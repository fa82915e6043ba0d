package dev.weir.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Annotations;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
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
 *
 * <p>Upstream publishes the CRD in two channels. The one generated here is the standard channel of bundle
 * {@value #BUNDLE_VERSION}, what other implementations install and users most likely have; the types also read the
 * experimental channel's fields ({@link ExperimentalChannel}), so a cluster with that CRD works too. The annotations
 * are upstream's: a CRD in a {@code *.k8s.io} group without {@code api-approved.kubernetes.io} is refused by the API
 * server.
 */
@Group(ClusterNetworkPolicy.GROUP)
@Version(ClusterNetworkPolicy.VERSION)
@Kind("ClusterNetworkPolicy")
@Plural("clusternetworkpolicies")
@Singular("clusternetworkpolicy")
@ShortNames("cnp")
@Annotations({
    ClusterNetworkPolicy.API_APPROVED_ANNOTATION + "=" + ClusterNetworkPolicy.API_APPROVAL,
    ClusterNetworkPolicy.BUNDLE_VERSION_ANNOTATION + "=" + ClusterNetworkPolicy.BUNDLE_VERSION,
    ClusterNetworkPolicy.CHANNEL_ANNOTATION + "=" + ClusterNetworkPolicy.CHANNEL})
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"required": ["metadata", "spec"], "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
            "metadata": {"type": "object"}}}""")
@AdditionalPrinterColumn(name = "Tier", jsonPath = ".spec.tier", type = AdditionalPrinterColumn.Type.STRING)
// upstream prints the priority as a string column
@AdditionalPrinterColumn(name = "Priority", jsonPath = ".spec.priority", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ClusterNetworkPolicy extends CustomResource<ClusterNetworkPolicySpec, ClusterNetworkPolicyStatus> {

    public static final String GROUP = "policy.networking.k8s.io";
    public static final String VERSION = "v1alpha2";
    public static final String KIND = "ClusterNetworkPolicy";
    /** The CRD's metadata.name, also the base of the committed YAML file name. */
    public static final String CRD_NAME = "clusternetworkpolicies." + GROUP;
    /** The committed CRD YAML as a class-path resource of this module's jar. */
    public static final String CRD_RESOURCE = "crds/" + CRD_NAME + ".yaml";

    /** The API review that approved this API (upstream's annotation value for this bundle). */
    public static final String API_APPROVED_ANNOTATION = "api-approved.kubernetes.io";
    public static final String API_APPROVAL = "https://github.com/kubernetes-sigs/network-policy-api/pull/347";
    public static final String BUNDLE_VERSION_ANNOTATION = GROUP + "/bundle-version";
    /** The first upstream release that ships v1alpha2 ClusterNetworkPolicy. */
    public static final String BUNDLE_VERSION = "v0.2.0";
    public static final String CHANNEL_ANNOTATION = GROUP + "/channel";
    public static final String CHANNEL = "standard";

    /** Overridden only to mark {@code spec} required in the generated schema, as upstream does. */
    @Override
    @Required
    public ClusterNetworkPolicySpec getSpec() {
        return super.getSpec();
    }
}
