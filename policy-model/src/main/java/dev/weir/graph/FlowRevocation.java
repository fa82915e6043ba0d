package dev.weir.graph;

import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tracked flows a node must end after a policy change: those with a pod of this node at either end that
 * {@link Reachability} now denies in their original direction, the same verdict {@code weir explain} prints. A reply
 * of an allowed connection passes by conntrack, so once the entry is gone the next packet is judged as new and dropped;
 * a flow still allowed keeps its entry and never notices. Flows of other nodes' pods (forwarded through this node) and
 * the node's own connections are left to whoever owns them. Pure: no I/O, no clock.
 */
public final class FlowRevocation {

    private FlowRevocation() {
    }

    /** The flows among {@code tracked} to delete on {@code node}, in the order given. */
    public static List<TrackedFlow> denied(PolicyGraph graph, String node, List<TrackedFlow> tracked) {
        Set<IpAddress> local = new HashSet<>();
        for (Endpoint e : graph.endpointsOn(node)) {
            if (e.isPolicyEndpoint()) {
                local.addAll(e.ips());
            }
        }
        // only the addresses of flows with a local end are looked up: indexing every pod of the cluster at each
        // sync cost more than the rest of a sync at 150,000 pods
        Set<IpAddress> ends = new HashSet<>();
        for (TrackedFlow f : tracked) {
            if (local.contains(f.judgedSource()) || local.contains(f.judgedDestination())) {
                ends.add(f.judgedSource());
                ends.add(f.judgedDestination());
            }
        }
        if (ends.isEmpty()) {
            return List.of();
        }
        Map<IpAddress, Endpoint> byAddress = new HashMap<>();
        for (Endpoint e : graph.endpoints().values()) {
            if (!e.isPolicyEndpoint()) {
                continue; // a hostNetwork pod's address is its node's; an address outside the pods stands for it
            }
            for (IpAddress ip : e.ips()) {
                if (ends.contains(ip)) {
                    byAddress.put(ip, e);
                }
            }
        }
        Reachability reachability = new Reachability(graph);
        List<TrackedFlow> denied = new ArrayList<>();
        for (TrackedFlow f : tracked) {
            IpAddress src = f.judgedSource();
            IpAddress dst = f.judgedDestination();
            if (!local.contains(src) && !local.contains(dst)) {
                continue;
            }
            Endpoint from = byAddress.getOrDefault(src, null);
            Endpoint to = byAddress.getOrDefault(dst, null);
            Verdict v = reachability.evaluate(from != null ? from : reachability.outside(src),
                    to != null ? to : reachability.outside(dst), f.judgedPort(), f.protocol(), src.family());
            if (!v.allowed()) {
                denied.add(f);
            }
        }
        return List.copyOf(denied);
    }
}
