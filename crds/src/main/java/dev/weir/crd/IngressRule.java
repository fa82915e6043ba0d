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
public class IngressRule extends PolicyRule {

    @Required
    @Size(min = 1, max = 25)
    @JsonPropertyDescription("Sources this rule matches; any entry matching is enough.")
    private List<IngressPeer> from;

    public List<IngressPeer> getFrom() {
        return from;
    }

    public void setFrom(List<IngressPeer> from) {
        this.from = from;
    }
}
