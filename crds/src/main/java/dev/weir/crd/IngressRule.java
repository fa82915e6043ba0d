package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One of {@code spec.ingress}: what to do with traffic from {@code from} to the subject pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class IngressRule {

    @Size(max = 100)
    @JsonPropertyDescription("Optional identifier of the rule, at most 100 characters, for logs and errors.")
    private String name;

    @Required
    @JsonPropertyDescription("Accept, Deny, or Pass (skip the rest of this tier).")
    private RuleAction action;

    @Required
    @Size(min = 1, max = 25)
    @JsonPropertyDescription("Sources this rule matches; any entry matching is enough.")
    private List<IngressPeer> from;

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

    public List<IngressPeer> getFrom() {
        return from;
    }

    public void setFrom(List<IngressPeer> from) {
        this.from = from;
    }

    public List<ProtocolMatch> getProtocols() {
        return protocols;
    }

    public void setProtocols(List<ProtocolMatch> protocols) {
        this.protocols = protocols;
    }
}
