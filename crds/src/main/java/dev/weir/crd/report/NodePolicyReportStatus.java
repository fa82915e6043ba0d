package dev.weir.crd.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.weir.crd.JsonMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** {@code status} of a {@link NodePolicyReport}. Times are RFC 3339 UTC strings, as in every Kubernetes object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {"lastHeartbeatTime": {"format": "date-time"}, "lastAppliedTime": {"format": "date-time"}}}""")
public record NodePolicyReportStatus(
        @JsonPropertyDescription("Version of the weir agent that wrote this report.")
        String agentVersion,
        @Min(1)
        @JsonPropertyDescription("The agent writes this report at least this often, changed or not; a report whose "
                + "lastHeartbeatTime is older than a few of these belongs to an agent that is not running.")
        Integer heartbeatIntervalSeconds,
        @JsonPropertyDescription("When the agent wrote this report.")
        String lastHeartbeatTime,
        @JsonPropertyDescription("When the agent last applied its ruleset with success (or found the kernel already "
                + "holding it); absent before its first successful apply.")
        String lastAppliedTime,
        @JsonPropertyDescription("Hash of the ruleset applied at lastAppliedTime (SHA-256 of its ipset, iptables and "
                + "ebtables restore text, first 16 hex digits).")
        String rulesetHash,
        @Min(0)
        @JsonPropertyDescription("How many policies have rules in the node's kernel: those that select at least one "
                + "of the node's pods.")
        Integer policyCount,
        @Size(max = MAX_POLICIES)
        @JsonPropertyDescription("The policies counted in policyCount, sorted by kind, namespace and name; at most "
                + MAX_POLICIES + " (policyCount tells whether the list was cut).")
        List<EnforcedPolicy> policies,
        @Min(0)
        @JsonPropertyDescription("How many policies the agent leaves out as invalid.")
        Integer rejectedCount,
        @Size(max = MAX_REJECTED)
        @JsonPropertyDescription("The policies counted in rejectedCount, sorted; at most " + MAX_REJECTED + ".")
        List<RejectedPolicy> rejected,
        @JsonPropertyDescription("The agent's most recent failed sync, also after later ones succeeded; absent when "
                + "none failed since the agent started.")
        ApplyFailure lastFailure,
        @Min(0)
        @JsonPropertyDescription("Syncs that failed since the last successful one: 0 while the node applies its "
                + "rules; above 0 the node is failing and keeps the rules of lastAppliedTime.")
        Integer consecutiveFailures) {

    /** At most this many policies are listed (about 150 bytes each: a report stays far below etcd's 1.5 MiB). */
    public static final int MAX_POLICIES = 2000;
    /** At most this many rejected policies are listed: every agent rejects the same ones. */
    public static final int MAX_REJECTED = 20;
    /** Messages are cut to this many characters. */
    public static final int MAX_MESSAGE = 1024;

    public NodePolicyReportStatus {
        policies = policies == null ? List.of() : List.copyOf(policies);
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
    }
}
