package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** {@code spec} of a ClusterNetworkPolicy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClusterNetworkPolicySpec {

    /** Upstream's limit on rules per direction. */
    public static final int MAX_RULES = 25;

    @Required
    @JsonPropertyDescription("Admin (evaluated before NetworkPolicy) or Baseline (evaluated after NetworkPolicy).")
    private Tier tier;

    @Required
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("0-1000; within a tier a lower value is evaluated first.")
    private Integer priority;

    @Required
    @Size(min = 1, max = 1) // exactly one of namespaces or pods
    @JsonPropertyDescription("The pods this policy applies to. Host-network pods are never subjects.")
    private Subject subject;

    @Size(max = MAX_RULES)
    @JsonPropertyDescription("Rules for traffic to the subject pods, evaluated in order; the first match decides.")
    private List<IngressRule> ingress;

    @Size(max = MAX_RULES)
    @JsonPropertyDescription("Rules for traffic from the subject pods, evaluated in order; the first match decides.")
    private List<EgressRule> egress;

    public Tier getTier() {
        return tier;
    }

    public void setTier(Tier tier) {
        this.tier = tier;
    }

    public Integer getPriority() {
        return priority;
    }

    public void setPriority(Integer priority) {
        this.priority = priority;
    }

    public Subject getSubject() {
        return subject;
    }

    public void setSubject(Subject subject) {
        this.subject = subject;
    }

    public List<IngressRule> getIngress() {
        return ingress;
    }

    public void setIngress(List<IngressRule> ingress) {
        this.ingress = ingress;
    }

    public List<EgressRule> getEgress() {
        return egress;
    }

    public void setEgress(List<EgressRule> egress) {
        this.egress = egress;
    }
}
