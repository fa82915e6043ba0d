package dev.weir.lab.conformance;

import dev.weir.lab.topology.LabPlan;
import dev.weir.model.Cidr;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv6 twin of a policy written for IPv4: next to every ipBlock peer with an IPv4 CIDR, a peer with the IPv6 block
 * that holds exactly the IPv6 addresses of the lab's pods the IPv4 block holds (and excepts likewise), as a user of a
 * dual-stack cluster writes one ipBlock per family. So a scenario's expected table, written for its IPv4 addresses,
 * is the expectation for IPv6 packets too; explain judges the twins on its own, and the lab compares both.
 *
 * <p>A block maps to the smallest IPv6 block holding the IPv6 addresses of the pods inside it ({@code 0.0.0.0/0} to
 * {@code ::/0}, a pod's {@code /32} to its {@code /128}); one that would hold a pod the IPv4 block does not, or that
 * holds no pod, is a scenario this mapping cannot serve, and fails the step.
 */
final class Ipv6IpBlocks {

    private Ipv6IpBlocks() {
    }

    static NetworkPolicy withTwins(NetworkPolicy policy, LabPlan plan) {
        NetworkPolicy copy = Serialization.clone(policy);
        if (copy.getSpec().getIngress() != null) {
            copy.getSpec().getIngress().forEach(r -> r.setFrom(twinned(r.getFrom(), plan)));
        }
        if (copy.getSpec().getEgress() != null) {
            copy.getSpec().getEgress().forEach(r -> r.setTo(twinned(r.getTo(), plan)));
        }
        return copy;
    }

    private static List<NetworkPolicyPeer> twinned(List<NetworkPolicyPeer> peers, LabPlan plan) {
        if (peers == null) {
            return null;
        }
        List<NetworkPolicyPeer> out = new ArrayList<>();
        for (NetworkPolicyPeer p : peers) {
            out.add(p);
            IPBlock block = p.getIpBlock();
            if (block != null && Cidr.parse(block.getCidr()).family() == IpFamily.V4) {
                List<String> except = block.getExcept() == null ? List.of()
                        : block.getExcept().stream().map(e -> twin(e, plan)).toList();
                out.add(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(twin(block.getCidr(), plan))
                        .withExcept(except.isEmpty() ? null : except).endIpBlock().build());
            }
        }
        return out;
    }

    /** The IPv6 block of the lab's pods inside {@code ipv4} (see the class comment). */
    static String twin(String ipv4, LabPlan plan) {
        Cidr v4 = Cidr.parse(ipv4);
        if (v4.prefix() == 0) {
            return "::/0";
        }
        List<IpAddress> inside = new ArrayList<>();
        List<IpAddress> outside = new ArrayList<>();
        for (LabPlan.PodPlan pod : plan.pods()) {
            IpAddress v6 = IpAddress.parse(pod.ip(IpFamily.V6));
            (v4.contains(IpAddress.parse(pod.ip())) ? inside : outside).add(v6);
        }
        if (inside.isEmpty()) {
            throw new IllegalArgumentException(ipv4 + " holds no pod of the lab: no IPv6 twin to map it to");
        }
        Cidr v6 = null;
        for (int len = IpFamily.V6.bits(); len >= 0; len--) {
            Cidr c = new Cidr(inside.get(0), len);
            if (inside.stream().allMatch(c::contains)) {
                v6 = c;
                break;
            }
        }
        Cidr block = v6;
        List<IpAddress> caught = outside.stream().filter(block::contains).toList();
        if (!caught.isEmpty()) {
            throw new IllegalArgumentException("the IPv6 twin " + block + " of " + ipv4 + " would hold " + caught
                    + ", which " + ipv4 + " does not hold");
        }
        return block.toString();
    }
}
