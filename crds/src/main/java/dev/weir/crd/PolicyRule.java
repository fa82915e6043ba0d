package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * What a rule of either direction has besides its peers: an identifier, an action and the destination ports. The
 * peers stay in {@link IngressRule#getFrom()} and {@link EgressRule#getTo()}, whose field names and peer kinds differ.
 */
public abstract class PolicyRule {

    @Size(max = 100)
    @JsonPropertyDescription("Optional identifier of the rule, at most 100 characters, for logs and errors.")
    private String name;

    @Required
    @JsonPropertyDescription("Accept, Deny, or Pass (skip the rest of this tier).")
    private RuleAction action;

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

    public List<ProtocolMatch> getProtocols() {
        return protocols;
    }

    public void setProtocols(List<ProtocolMatch> protocols) {
        this.protocols = protocols;
    }
}
