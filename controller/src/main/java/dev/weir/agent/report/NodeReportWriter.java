package dev.weir.agent.report;

import dev.weir.crd.report.NodePolicyReport;
import dev.weir.crd.report.NodePolicyReportStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;

/**
 * Writes the node's {@link NodePolicyReport}: the object named after the node, created once with an ownerReference to
 * the Node (so the garbage collector deletes it with the node), then its status replaced whole through the status
 * subresource ({@code PUT .../status}) with the resourceVersion of the last write. The agent is the object's only
 * writer, so a conflict (409) or a missing object (404: deleted with a recreated Node, or by hand) is met by reading or
 * creating it again and writing once more. One thread calls {@link #write}.
 */
final class NodeReportWriter {

    /** What became of a write. */
    sealed interface Outcome {
        /** The status is stored. */
        record Written() implements Outcome {
        }

        /** The API cannot take the report now and will not soon: not installed, forbidden, no Node. */
        record Unavailable(String reason) implements Outcome {
        }

        /** Anything else (the API server away, a timeout, a second conflict): try again soon. */
        record Failed(String error) implements Outcome {
        }
    }

    static final String NOT_INSTALLED = "the NodePolicyReport CRD (" + NodePolicyReport.CRD_NAME
            + ") is not installed";

    private final KubernetesClient client;
    private final String node;
    /** The report's resourceVersion after the last write or read; null: read (or create) it first. */
    private String resourceVersion;

    NodeReportWriter(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    Outcome write(NodePolicyReportStatus status) {
        try {
            if (resourceVersion == null) {
                Outcome missing = readOrCreate();
                if (missing != null) {
                    return missing;
                }
            }
            try {
                put(status);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
                // someone else wrote it (409), or it is gone (404): read or create it, and write once more
                resourceVersion = null;
                Outcome missing = readOrCreate();
                if (missing != null) {
                    return missing;
                }
                put(status);
            }
            return new Outcome.Written();
        } catch (KubernetesClientException e) {
            resourceVersion = null;
            if (e.getCode() == 403) {
                return new Outcome.Unavailable("forbidden (the agent's RBAC must allow create on nodepolicyreports "
                        + "and get, update on nodepolicyreports/status): " + e.getMessage());
            }
            return new Outcome.Failed(e.getMessage());
        } catch (RuntimeException e) {
            resourceVersion = null;
            return new Outcome.Failed(e.toString());
        }
    }

    /** Takes the resourceVersion of the existing report, or creates it; null when there is one now. */
    private Outcome readOrCreate() {
        NodePolicyReport existing = reports().withName(node).get(); // null for 404: no object, or no CRD
        if (existing != null) {
            resourceVersion = existing.getMetadata().getResourceVersion();
            return null;
        }
        Node owner = client.nodes().withName(node).get();
        if (owner == null) {
            return new Outcome.Unavailable("there is no Node " + node + " to own its report");
        }
        NodePolicyReport fresh = new NodePolicyReport();
        fresh.setMetadata(new ObjectMetaBuilder().withName(node)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                        .withName(node).withUid(owner.getMetadata().getUid()).build())
                .build());
        try {
            resourceVersion = reports().resource(fresh).create().getMetadata().getResourceVersion();
            return null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return new Outcome.Unavailable(NOT_INSTALLED);
            }
            if (e.getCode() == 409) { // created meanwhile (an agent of the same node starting)
                NodePolicyReport now = reports().withName(node).get();
                if (now != null) {
                    resourceVersion = now.getMetadata().getResourceVersion();
                    return null;
                }
            }
            throw e;
        }
    }

    private void put(NodePolicyReportStatus status) {
        NodePolicyReport report = new NodePolicyReport();
        report.setMetadata(new ObjectMetaBuilder().withName(node).withResourceVersion(resourceVersion).build());
        report.setStatus(status);
        resourceVersion = reports().resource(report).updateStatus().getMetadata().getResourceVersion();
    }

    private NonNamespaceOperation<NodePolicyReport, KubernetesResourceList<NodePolicyReport>,
            Resource<NodePolicyReport>> reports() {
        return client.resources(NodePolicyReport.class);
    }
}
