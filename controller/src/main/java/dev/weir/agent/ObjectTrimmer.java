package dev.weir.agent;

import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.admin.ClusterPolicyTranslator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies of cluster objects that keep only what weir reads: what {@code ModelTranslator} and
 * {@code ClusterPolicyTranslator} translate, plus the metadata the informer store, its watch and the rejection events
 * key on (name, namespace, uid, resourceVersion, generation) and the labels; of a pod also its creation time, of a
 * namespace and a ClusterNetworkPolicy the one annotation weir reads there (the denied-traffic log's settings).
 * managedFields, other annotations (the last-applied-configuration copy of a policy), owner references, container specs
 * apart from their ports, volumes, status conditions and container statuses, and a Node's {@code status.images} are
 * dropped: at 10,000 pods they were ~90% of the agent's heap (docs/benchmarks.md, "Agent memory"). Pure; the input is
 * not changed, and what the copy keeps (labels, container ports, pod IPs, node addresses, a policy's spec) is shared
 * with it, not copied. fabric8's model constructors (and its builders) allocate every list and map field empty — some
 * forty per pod, half of what a trimmed pod would keep — so the copies set the fields they do not keep to null, which
 * every reader here treats as empty.
 *
 * <p>Contract, held by {@code ObjectTrimmerTest}: a trimmed object translates exactly as the full one, diagnostics
 * (with their field paths) included. A translator that starts reading another field must keep it here too.
 */
final class ObjectTrimmer {

    private ObjectTrimmer() {
    }

    /** Labels and the {@code weir.dev/log-denials} annotation. */
    static Namespace namespace(Namespace in) {
        Namespace out = head(in, new Namespace());
        keepAnnotation(in, out, ModelTranslator.LOG_DENIALS_ANNOTATION);
        return out;
    }

    /**
     * Labels, creation time, addresses, node name, hostNetwork, phase, and every container and init container with its
     * ports only
     * (a container without ports stays as an empty placeholder, so the field paths of diagnostics keep their index).
     */
    static Pod pod(Pod in) {
        Pod out = head(in, new Pod());
        if (in.getMetadata() != null) {
            // which of two pods claiming one address holds it (docs/model.md, "One address, one pod")
            out.getMetadata().setCreationTimestamp(in.getMetadata().getCreationTimestamp());
        }
        if (in.getSpec() != null) {
            PodSpec s = new PodSpec();
            s.setNodeName(in.getSpec().getNodeName());
            s.setHostNetwork(in.getSpec().getHostNetwork());
            s.setContainers(portsOnly(in.getSpec().getContainers()));
            s.setInitContainers(portsOnly(in.getSpec().getInitContainers()));
            s.setEphemeralContainers(null);
            s.setEvictionResponders(null);
            s.setHostAliases(null);
            s.setImagePullSecrets(null);
            s.setNodeSelector(null);
            s.setOverhead(null);
            s.setReadinessGates(null);
            s.setResourceClaims(null);
            s.setSchedulingGates(null);
            s.setTolerations(null);
            s.setTopologySpreadConstraints(null);
            s.setVolumes(null);
            out.setSpec(s);
        }
        if (in.getStatus() != null) {
            PodStatus s = new PodStatus();
            s.setPhase(in.getStatus().getPhase());
            s.setPodIP(in.getStatus().getPodIP());
            s.setPodIPs(in.getStatus().getPodIPs());
            s.setAllocatedResources(null);
            s.setConditions(null);
            s.setContainerStatuses(null);
            s.setEphemeralContainerStatuses(null);
            s.setHostIPs(null);
            s.setInitContainerStatuses(null);
            s.setNodeAllocatableResourceClaimStatuses(null);
            s.setResourceClaimStatuses(null);
            s.setVolumeHealth(null);
            out.setStatus(s);
        }
        return out;
    }

    /** Labels and {@code status.addresses} (what a {@code nodes} peer matches); images, conditions, capacity go. */
    static Node node(Node in) {
        Node out = head(in, new Node());
        out.setSpec(null);
        if (in.getStatus() != null) {
            NodeStatus s = new NodeStatus();
            s.setAddresses(in.getStatus().getAddresses());
            s.setAllocatable(null);
            s.setCapacity(null);
            s.setConditions(null);
            s.setDeclaredFeatures(null);
            s.setImages(null);
            s.setRuntimeHandlers(null);
            s.setVolumesAttached(null);
            s.setVolumesInUse(null);
            out.setStatus(s);
        }
        return out;
    }

    /** The spec whole (the translator validates all of it); the last-applied annotation and managedFields go. */
    static NetworkPolicy networkPolicy(NetworkPolicy in) {
        NetworkPolicy out = head(in, new NetworkPolicy());
        out.setSpec(in.getSpec());
        return out;
    }

    /**
     * The spec whole and the {@code weir.dev/log-rules} annotation; the status (written by the agents themselves,
     * read fresh before each write) goes.
     */
    static dev.weir.crd.ClusterNetworkPolicy clusterPolicy(dev.weir.crd.ClusterNetworkPolicy in) {
        dev.weir.crd.ClusterNetworkPolicy out = head(in, new dev.weir.crd.ClusterNetworkPolicy());
        out.setSpec(in.getSpec());
        keepAnnotation(in, out, ClusterPolicyTranslator.LOG_RULES_ANNOTATION);
        return out;
    }

    /** Copies the one annotation {@code key} (when {@code in} has it) onto the trimmed {@code out}. */
    private static void keepAnnotation(HasMetadata in, HasMetadata out, String key) {
        String value = ModelTranslator.annotation(in.getMetadata(), key);
        if (value != null && out.getMetadata() != null) {
            out.getMetadata().setAnnotations(Map.of(key, value));
        }
    }

    /**
     * {@code out} with the apiVersion of {@code in} and its trimmed {@link #metadata}. The kind needs no copy: a new
     * fabric8 object of the same type already carries it.
     */
    private static <T extends HasMetadata> T head(T in, T out) {
        out.setApiVersion(in.getApiVersion());
        out.setMetadata(metadata(in.getMetadata()));
        return out;
    }

    /** name, namespace, uid, resourceVersion, generation, labels. */
    private static ObjectMeta metadata(ObjectMeta in) {
        if (in == null) {
            return null;
        }
        ObjectMeta out = new ObjectMeta();
        out.setName(in.getName());
        out.setNamespace(in.getNamespace());
        out.setUid(in.getUid());
        out.setResourceVersion(in.getResourceVersion());
        out.setGeneration(in.getGeneration());
        out.setLabels(in.getLabels());
        out.setAnnotations(null);
        out.setFinalizers(null);
        out.setManagedFields(null);
        out.setOwnerReferences(null);
        return out;
    }

    private static List<Container> portsOnly(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        List<Container> out = new ArrayList<>(containers.size());
        for (Container c : containers) {
            if (c == null) {
                out.add(null);
                continue;
            }
            out.add(container(c));
        }
        return out;
    }

    /** A container with its ports only. */
    static Container container(Container c) {
        Container kept = new Container();
        kept.setPorts(c.getPorts());
        kept.setArgs(null);
        kept.setCommand(null);
        kept.setEnv(null);
        kept.setEnvFrom(null);
        kept.setResizePolicy(null);
        kept.setRestartPolicyRules(null);
        kept.setVolumeDevices(null);
        kept.setVolumeMounts(null);
        return kept;
    }
}
