package dev.weir.k8s;

import dev.weir.model.IpAddress;
import dev.weir.model.Node;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * fabric8 {@code Node} → {@link Node}: name, labels and the IP entries of {@code status.addresses}. Upstream's
 * {@code nodes} peer matches "the addresses in status.addresses"; weir takes the entries of type {@code InternalIP}
 * and {@code ExternalIP} and leaves {@code Hostname}, {@code InternalDNS} and {@code ExternalDNS} out (names, which
 * iptables cannot match). An IP entry that is not an address rejects the node with a diagnostic on its field.
 */
final class NodeTranslator {

    /** The {@code status.addresses} types that hold IP addresses, in the order the kubelet prefers them. */
    static final List<String> IP_TYPES = List.of("InternalIP", "ExternalIP");

    private NodeTranslator() {
    }

    static Translated<Node> translate(io.fabric8.kubernetes.api.model.Node node) {
        String name = node.getMetadata() == null ? null : node.getMetadata().getName();
        Findings findings = new Findings(ObjectKey.node(name == null ? "<unnamed>" : name));
        findings.checkMetadata(name, null, false);
        List<NodeAddress> entries = entries(node);
        List<IpAddress> addresses = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            NodeAddress a = entries.get(i);
            if (a == null || !IP_TYPES.contains(a.getType())) {
                continue;
            }
            String field = "status.addresses[" + i + "].address";
            String text = a.getAddress();
            if (text == null || text.isEmpty()) {
                findings.error(field, "Required value: an " + a.getType() + " entry needs an address");
                continue;
            }
            findings.attempt(field, () -> IpAddress.parse(text)).ifPresent(addresses::add);
        }
        Map<String, String> labels = ModelTranslator.labelsOf(node.getMetadata());
        return findings.result(() -> new Node(name, labels, addresses));
    }

    /**
     * The addresses a hostNetwork pod on this node has, as the kubelet reports them (the node's host IPs): per family
     * the first {@code InternalIP}, else the first {@code ExternalIP}. Entries that do not parse are skipped (the
     * node's own translation reports them).
     */
    static List<IpAddress> hostIps(io.fabric8.kubernetes.api.model.Node node) {
        Map<dev.weir.model.IpFamily, IpAddress> chosen = new java.util.EnumMap<>(dev.weir.model.IpFamily.class);
        for (String type : IP_TYPES) {
            for (NodeAddress a : entries(node)) {
                if (a != null && type.equals(a.getType()) && a.getAddress() != null
                        && IpAddress.isValid(a.getAddress())) {
                    IpAddress ip = IpAddress.parse(a.getAddress());
                    chosen.putIfAbsent(ip.family(), ip);
                }
            }
        }
        return List.copyOf(chosen.values());
    }

    private static List<NodeAddress> entries(io.fabric8.kubernetes.api.model.Node node) {
        return node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
                : node.getStatus().getAddresses();
    }
}
