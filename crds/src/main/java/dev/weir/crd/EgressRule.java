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
public class EgressRule {

    @Size(max = 100)
    @JsonPropertyDescription("Optional identifier of the rule, at most 100 characters, for logs and errors.")
    private String name;

    @Required
    @JsonPropertyDescription("Accept, Deny, or Pass (skip the rest of this tier).")
    private RuleAction action;

    @Required
    @Size(min = 1, max = 25)
    @JsonPropertyDescription("Destinations this rule matches; any entry matching is enough.")
    private List<EgressPeer> to;

    @Size(min = 1, max = 25)
    @JsonPropertyDescription("Destination protocols and ports; omitted matches all traffic.")
    private List<ProtocolMatch> protocols;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public RuleAction getAction() {
        return action;
    }

    public void setAction(RuleAction action) {
        this.action = action;
    }

    public List<EgressPeer> getTo() {
        return to;
    }

    public void setTo(List<EgressPeer> to) {
        this.to = to;
    }

    public List<ProtocolMatch> getProtocols() {
        return protocols;
    }

    public void setProtocols(List<ProtocolMatch> protocols) {
        this.protocols = protocols;
    }
}
