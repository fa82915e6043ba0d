package dev.weir.iptables.render;

import dev.weir.graph.PolicyGraph;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Renders layer-2 anti-spoofing for the local pods that sit behind a bridge port (flannel's bridge plugin: the pod's
 * veth is a port of {@code cni0}). A pod there could otherwise answer ARP for an address that is not its own, or send
 * with another pod's MAC, and the bridge and the node would deliver the victim's replies to it. Pure and deterministic.
 *
 * <pre>
 * PREROUTING (bridge nat) ─(pos 1)─▶ WEIR-L2 ── -i PORT ─▶ WEIR-L2-&lt;pod hash&gt;
 *     -s ! MAC                                   DROP     (Ethernet source is the pod's MAC)
 *     -p ARP --arp-ip-src IP --arp-mac-src MAC  RETURN   (each pod IPv4; no IPv4, no ARP)
 *     -p IPv4 --ip-src IP                       RETURN   (each pod IPv4)
 *     -p IPv6 … --ip6-icmp-type router-advertisement DROP (a pod is no router: no rogue RA)
 *     -p IPv6 … --ip6-icmp-type redirect        DROP
 *     -p IPv6 --ip6-src IP                      RETURN   (each pod IPv6)
 *     -p IPv6 --ip6-src fe80::/10               RETURN   (link-local: neighbour discovery, MLD)
 *     -p IPv6 --ip6-src :: --ip6-proto ipv6-icmp RETURN  (duplicate address detection)
 *     DROP                                               (everything else, other ethertypes included)
 * </pre>
 *
 * The checks sit in the {@code nat} table's PREROUTING, not in the filter table's FORWARD and INPUT: the bridge
 * learns a frame's source MAC on its way from PREROUTING to FORWARD/INPUT, so a frame carrying another pod's MAC that
 * is dropped only in FORWARD has already moved that MAC to the sender's port in the bridge's forwarding table, and
 * the victim's traffic follows it there (seen in {@code BridgeSpoofingKernelTest}). PREROUTING sees every frame a port
 * sends, to other ports and to the node alike, so one hook covers both.
 *
 * <p>Rules are spelled exactly as {@code ebtables-save} (nf_tables) prints them, so a save reads back equal. A pod
 * gets a chain when its {@link PodInterface} is a bridge port with a known MAC and the graph gives it addresses (a live
 * pod of this node: not hostNetwork, not terminated, with IPs), whether or not any policy selects it: spoofing hurts
 * pods no policy mentions just as much.
 */
public final class BridgeRules {

    /** Where every frame from a port passes before the bridge learns its source MAC or decides where it goes. */
    static final String HOOKED = "PREROUTING";

    private BridgeRules() {
    }

    public static BridgeRuleset render(PolicyGraph graph, String node, LocalNetwork localNetwork) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(localNetwork, "localNetwork");
        Map<ObjectKey, Endpoint> live = new HashMap<>();
        for (Endpoint e : graph.endpointsOn(node)) {
            if (e.isPolicyEndpoint()) {
                live.put(e.key(), e);
            }
        }
        List<IptablesRule> dispatch = new ArrayList<>();
        SortedMap<String, List<IptablesRule>> ports = new TreeMap<>();
        for (Map.Entry<ObjectKey, PodInterface> entry : localNetwork.interfaces().entrySet()) {
            PodInterface port = entry.getValue();
            Endpoint pod = live.get(entry.getKey());
            Optional<String> mac = port.mac();
            // ebtables reads a trailing '+' as a wildcard over every interface with that prefix
            if (port.attachment() != PodInterface.Attachment.BRIDGE_PORT || mac.isEmpty() || pod == null
                    || port.name().endsWith("+")) {
                continue;
            }
            String chain = Names.bridgePortChain(pod.key());
            dispatch.add(rule("-i " + port.name(), chain));
            ports.put(chain, portRules(pod, mac.get()));
        }
        if (dispatch.isEmpty()) {
            return BridgeRuleset.EMPTY;
        }
        List<Chain> chains = new ArrayList<>();
        chains.add(new Chain(Names.BRIDGE, dispatch));
        ports.forEach((name, rules) -> chains.add(new Chain(name, rules)));
        return new BridgeRuleset(List.of(new Hook(HOOKED, Names.BRIDGE)), chains);
    }

    private static List<IptablesRule> portRules(Endpoint pod, String mac) {
        List<String> v4 = addresses(pod, IpFamily.V4);
        List<String> v6 = addresses(pod, IpFamily.V6);
        List<IptablesRule> rules = new ArrayList<>();
        rules.add(rule("-s ! " + mac, "DROP"));
        v4.forEach(ip -> rules.add(rule("-p ARP --arp-ip-src " + ip + " --arp-mac-src " + mac, "RETURN")));
        v4.forEach(ip -> rules.add(rule("-p IPv4 --ip-src " + ip, "RETURN")));
        // from any source, link-local included: a pod is never the router of its neighbours
        rules.add(rule("-p IPv6 --ip6-proto ipv6-icmp --ip6-icmp-type router-advertisement", "DROP"));
        rules.add(rule("-p IPv6 --ip6-proto ipv6-icmp --ip6-icmp-type redirect", "DROP"));
        v6.forEach(ip -> rules.add(rule("-p IPv6 --ip6-src " + ip, "RETURN")));
        rules.add(rule("-p IPv6 --ip6-src fe80::/10", "RETURN"));
        rules.add(rule("-p IPv6 --ip6-src :: --ip6-proto ipv6-icmp", "RETURN"));
        rules.add(rule("", "DROP"));
        return rules;
    }

    /** The pod's addresses of one family as ebtables prints them: a host address without a prefix length. */
    private static List<String> addresses(Endpoint pod, IpFamily family) {
        return pod.ips().stream().filter(a -> a.family() == family).map(IpAddress::toString).toList();
    }

    private static IptablesRule rule(String matches, String target) {
        return new IptablesRule(matches, target, "");
    }
}
