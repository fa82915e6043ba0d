package dev.weir.crd.report;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import dev.weir.crd.JsonMergePatch;

/**
 * {@code weir.dev/v1alpha1 NodePolicyReport}: what the weir agent of one node enforces, written by that agent alone.
 * Cluster-scoped, one object per node, named after the node and owned by its Node object (so it is deleted with the
 * node). There is no spec, nothing is asked of the agent; everything is in {@code status}, written through the status
 * subresource. Readers: {@code weir controller} (which policies are in force on which nodes, which nodes are stale)
 * and {@code weir status}. The fields are described in {@code docs/agent.md}, "What the agent reports".
 */
@Group(NodePolicyReport.GROUP)
@Version(NodePolicyReport.VERSION)
@Kind(NodePolicyReport.KIND)
@Plural(NodePolicyReport.PLURAL)
@Singular("nodepolicyreport")
@ShortNames("npr")
// no spec (Void): the generator would still declare an empty one
@SchemaCustomizer(value = JsonMergePatch.class, input = """
        {"properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
            "metadata": {"type": "object"}, "spec": null}}""")
@AdditionalPrinterColumn(name = "Policies", jsonPath = ".status.policyCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Apply", jsonPath = ".status.lastAppliedTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Heartbeat", jsonPath = ".status.lastHeartbeatTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Last Failure", jsonPath = ".status.lastFailure.time", type = AdditionalPrinterColumn.Type.DATE, priority = 1)
@AdditionalPrinterColumn(name = "Ruleset", jsonPath = ".status.rulesetHash", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Agent", jsonPath = ".status.agentVersion", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NodePolicyReport extends CustomResource<Void, NodePolicyReportStatus> {

    public static final String GROUP = "weir.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "NodePolicyReport";
    public static final String PLURAL = "nodepolicyreports";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    /** The CRD's metadata.name, also the base of the committed YAML file name. */
    public static final String CRD_NAME = PLURAL + "." + GROUP;
    /** The committed CRD YAML as a class-path resource of this module's jar. */
    public static final String CRD_RESOURCE = "crds/" + CRD_NAME + ".yaml";
}
