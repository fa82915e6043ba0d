package dev.weir.lab.topology;

/**
 * The lab's IPv6 addresses, derived from the IPv4 plan so that each reads like its IPv4 twin ({@link AddressPlanner}):
 * the underlay is {@code fd00:192:168:222::/64} (bridge {@code ::1}, node i {@code ::<10+i>}); node i owns
 * {@code fd00:10:244:<i>::/64} (the gateway on {@code cni0} is {@code ::1}, the VTEP address on
 * {@code flannel-v6.1} is the subnet's own address {@code ::}, as flannel puts {@code .0} on {@code flannel.1}); the pod
 * at {@code 10.244.<i>.<h>} is also {@code fd00:10:244:<i>::<h>}. The decimal digits are written as they are, so
 * {@code 10.244.1.12} pairs with {@code fd00:10:244:1::12} (hexadecimal 0x12, which any reader matches by eye).
 * Unique local addresses ({@code fd00::/8}): nothing leaves the lab.
 */
public final class Ipv6Plan {

    public static final String UNDERLAY_NET = "fd00:192:168:222::";
    public static final String UNDERLAY_GATEWAY = UNDERLAY_NET + "1";
    /** The client outside the cluster, the twin of {@link LabPlan#CLIENT_IP}. */
    public static final String CLIENT_IP = UNDERLAY_NET + "200";
    public static final String POD_PREFIX = "fd00:10:244:";
    /** The whole pod range, as the CNI result's route and the cluster's IPv6 cluster CIDR. */
    public static final String CLUSTER_CIDR = "fd00:10:244::/48";
    /**
     * Calico's IPv6 next hop for routed veths: the link-local address of the host side of every pod's veth, whose MAC
     * Calico sets to {@code ee:ee:ee:ee:ee:ee} (this is its EUI-64 address), so no proxy is needed.
     */
    public static final String CANAL_NEXT_HOP = "fe80::ecee:eeff:feee:eeee";
    public static final String CANAL_HOST_MAC = "ee:ee:ee:ee:ee:ee";

    private Ipv6Plan() {
    }

    public static String underlay(int node) {
        return UNDERLAY_NET + (10 + node);
    }

    public static String podCidr(int node) {
        return POD_PREFIX + node + "::/64";
    }

    public static String gateway(int node) {
        return POD_PREFIX + node + "::1";
    }

    public static String vtep(int node) {
        return POD_PREFIX + node + "::";
    }

    /** {@code flannel-v6.1}'s fixed MAC: {@code flannel.1}'s with 01 in the fourth byte. */
    public static String vtepMac(int node) {
        return String.format("02:77:6c:01:%02x:%02x", node >> 8, node & 0xff);
    }

    /**
     * The IPv6 twin of a pod's IPv4 address: {@code 10.244.<i>.<h>} is {@code fd00:10:244:<i>::<h>}; a hostNetwork
     * pod's, its node's underlay address {@code 192.168.222.<10+i>}, is the node's {@code fd00:192:168:222::<10+i>}.
     */
    public static String pod(String ipv4) {
        String[] octets = ipv4.split("\\.");
        if (octets.length == 4 && ipv4.startsWith(AddressPlanner.POD_PREFIX)) {
            return POD_PREFIX + octets[2] + "::" + octets[3];
        }
        if (octets.length == 4 && ipv4.startsWith(AddressPlanner.UNDERLAY_PREFIX)) {
            return UNDERLAY_NET + octets[3];
        }
        throw new IllegalArgumentException(ipv4 + " is no lab pod or node address (" + AddressPlanner.POD_PREFIX
                + "<i>.<h>, " + AddressPlanner.UNDERLAY_PREFIX + "<10+i>)");
    }
}
