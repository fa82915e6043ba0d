package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * One of an egress rule's {@code to}: exactly one field set. {@code nodes} and {@code domainNames} exist only in
 * upstream's experimental channel: weir reads them when that CRD is installed (it enforces {@code nodes}; it does not
 * enforce {@code domainNames} and says so in a diagnostic), and the standard CRD it generates leaves them out.
 * {@code networks} is a set, and each entry a CIDR.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = JsonMergePatch.class, input = SchemaPatches.EXACTLY_ONE_FIELD)
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {"networks": {"x-kubernetes-list-type": "set", "items": {"x-kubernetes-validations": [
            {"rule": "isCIDR(self)", "message": "every network must be a CIDR such as 10.0.0.0/8"}]}}}}""")
public class EgressPeer extends PodSelection {

    @ExperimentalChannel
    @JsonPropertyDescription("The addresses in status.addresses of the selected nodes; empty selects every node.")
    private LabelSelector nodes;

    @Size(min = 1, max = 25)
    @JsonPropertyDescription("CIDRs; they match cluster-internal addresses (pods, nodes) too.")
    private List<@Size(max = 43) String> networks;

    @ExperimentalChannel
    @Size(min = 1, max = 25)
    @JsonPropertyDescription("Domain names (upstream experimental, Accept rules only); not enforced by weir.")
    private List<@Pattern("^(\\*\\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$")
            String> domainNames;

    public LabelSelector getNodes() {
        return nodes;
    }

    public void setNodes(LabelSelector nodes) {
        this.nodes = nodes;
    }

    public List<String> getNetworks() {
        return networks;
    }

    public void setNetworks(List<String> networks) {
        this.networks = networks;
    }

    public List<String> getDomainNames() {
        return domainNames;
    }

    public void setDomainNames(List<String> domainNames) {
        this.domainNames = domainNames;
    }
}
