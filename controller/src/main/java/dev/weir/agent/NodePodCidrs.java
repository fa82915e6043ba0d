package dev.weir.agent;

import dev.weir.model.Cidr;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's own node's pod address ranges, from its Node object: {@code spec.podCIDRs} (one per family), or the
 * older single {@code spec.podCIDR}. Set once by the node IPAM controller (kube-controller-manager with
 * {@code --allocate-node-cidrs}) and then immutable, so one successful read is enough; empty while unset, and always on
 * clusters whose IPAM does not use them (Calico's own IPAM: pass {@code --pod-cidrs}).
 */
final class NodePodCidrs {

    private NodePodCidrs() {
    }

    /** Reads the Node {@code name}; a missing Node or an unset field gives an empty list. */
    static List<Cidr> fetch(KubernetesClient client, String name) {
        Node node = client.nodes().withName(name).get();
        return node == null ? List.of() : of(node);
    }

    static List<Cidr> of(Node node) {
        if (node.getSpec() == null) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        if (node.getSpec().getPodCIDRs() != null && !node.getSpec().getPodCIDRs().isEmpty()) {
            texts.addAll(node.getSpec().getPodCIDRs());
        } else if (node.getSpec().getPodCIDR() != null && !node.getSpec().getPodCIDR().isBlank()) {
            texts.add(node.getSpec().getPodCIDR());
        }
        List<Cidr> out = new ArrayList<>();
        for (String t : texts) {
            out.add(Cidr.parse(t)); // a malformed one throws: the caller logs it and asks again later
        }
        return out.stream().distinct().sorted().toList();
    }
}
