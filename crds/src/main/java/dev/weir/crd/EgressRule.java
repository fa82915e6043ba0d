package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One of {@code spec.egress}: what to do with traffic from the subject pods to {@code to}. Named ports exist only on
 * pods; upstream's experimental CRD refuses {@code destinationNamedPort} in a rule with a networks, nodes or
 * domainNames peer, the standard one (which weir generates) does not, so the translator reports such a rule instead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class EgressRule extends PolicyRule {

    @Required
    @Size(min = 1, max = 25)
    @JsonPropertyDescription("Destinations this rule matches; any entry matching is enough.")
    private List<EgressPeer> to;

    public List<EgressPeer> getTo() {
        return to;
    }

    public void setTo(List<EgressPeer> to) {
        this.to = to;
    }
}
