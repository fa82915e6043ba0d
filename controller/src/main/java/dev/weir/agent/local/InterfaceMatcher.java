package dev.weir.agent.local;

import dev.weir.iptables.render.PodInterface;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides each local pod's host-side interface from what the node shows, without asking the CNI. Pure: the routes,
 * devices and cache entries are read by {@link HostInterfaceDiscovery}.
 * <ul>
 *   <li><b>Routed</b> (Calico and canal's {@code cali…}, the ptp plugin): a host route to exactly one of the pod's
 *       addresses straight out of a device that is neither a bridge nor a bridge's port.</li>
 *   <li><b>Bridge port</b> (flannel through the bridge plugin on {@code cni0}, whose host veths are {@code veth} +
 *       random hex): a CNI cache entry made for this pod (namespace and name) that holds one of its addresses and names
 *       exactly one host-side interface (no {@code sandbox}) that is now a port of a Linux bridge. The pod's MAC is
 *       that of the in-pod interface its address is on.</li>
 * </ul>
 * A wrong binding would let a pod's egress slip past its policies (its dispatch rule would name an interface its
 * packets never come from), so anything doubtful binds nothing and the pod stays judged by address: two different
 * interfaces for one pod, one interface claimed for two pods, an address two local pods hold, a route to the bridge
 * itself or to a device that is gone, a cache entry whose port is gone or that names another pod.
 */
public final class InterfaceMatcher {

    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    static final String NOTHING_FOUND = "no host route to its address and no CNI cache entry with a bridge port";

    private InterfaceMatcher() {
    }

    /** What one source said about one pod: an interface, from where, with the MAC it gave (bridge ports). */
    private record Claim(String name, PodInterface.Attachment attachment, Optional<String> mac, String source) {
    }

    public static InterfaceBindings match(Map<ObjectKey, List<IpAddress>> pods, List<HostRoute> routes,
            Map<String, Link> links, List<CniAttachment> attachments) {
        Map<IpAddress, Set<ObjectKey>> owners = new TreeMap<>();
        pods.forEach((pod, ips) -> ips.forEach(ip -> owners.computeIfAbsent(ip, x -> new TreeSet<>()).add(pod)));
        Map<ObjectKey, List<Claim>> claims = new TreeMap<>();
        Map<ObjectKey, Set<String>> refusals = new TreeMap<>();

        for (HostRoute r : routes) {
            Set<ObjectKey> owner = owners.get(r.destination());
            if (owner == null) {
                continue;
            }
            if (owner.size() > 1) {
                owner.forEach(p -> refuse(refusals, p, "its address " + r.destination() + " is held by " + owner));
                continue;
            }
            ObjectKey pod = owner.iterator().next();
            Link link = links.get(r.device());
            if (link == null) {
                refuse(refusals, pod, "the host route " + r + " names a device that is gone");
            } else if (link.isBridge()) {
                refuse(refusals, pod, "the host route " + r + " points at the bridge itself, not at the pod's port");
            } else if (link.master().isPresent()) {
                refuse(refusals, pod, "the host route " + r + " points at a port of " + link.master().get());
            } else if (r.device().equals("lo")) {
                refuse(refusals, pod, "the host route " + r + " points at the loopback device");
            } else {
                claims.computeIfAbsent(pod, x -> new ArrayList<>())
                        .add(new Claim(r.device(), PodInterface.Attachment.ROUTED, Optional.empty(), "route " + r));
            }
        }

        for (CniAttachment a : attachments) {
            ObjectKey pod = ObjectKey.pod(a.podNamespace(), a.podName());
            List<IpAddress> ips = pods.get(pod);
            if (ips == null) {
                continue; // a pod of no interest here: gone, not running here, or hostNetwork
            }
            List<CniAttachment.Address> own = a.addresses().stream().filter(x -> ips.contains(x.address())).toList();
            if (own.isEmpty()) {
                refuse(refusals, pod, "the CNI cache entry " + a.file() + " is for this pod but holds none of its "
                        + "addresses " + ips);
                continue;
            }
            List<String> hostSide = a.interfaces().stream().filter(i -> i.sandbox().isEmpty())
                    .map(CniAttachment.Interface::name).distinct().toList();
            List<String> ports = hostSide.stream().filter(n -> isBridgePort(links, n)).toList();
            if (ports.size() > 1) {
                refuse(refusals, pod, "the CNI cache entry " + a.file() + " names several bridge ports " + ports);
                continue;
            }
            if (ports.isEmpty()) {
                List<String> gone = hostSide.stream().filter(n -> !links.containsKey(n)).toList();
                if (!gone.isEmpty()) {
                    refuse(refusals, pod, "the CNI cache entry " + a.file() + " names " + gone
                            + ", gone from the node");
                }
                continue; // a routed attachment (ptp, Calico): its route decides
            }
            Optional<String> mac = own.stream().map(a::interfaceOf).flatMap(Optional::stream)
                    .filter(i -> i.sandbox().isPresent()).map(CniAttachment.Interface::mac).flatMap(Optional::stream)
                    .filter(m -> MAC.matcher(m).matches()).map(m -> m.toLowerCase(java.util.Locale.ROOT)).findFirst();
            claims.computeIfAbsent(pod, x -> new ArrayList<>()).add(new Claim(ports.get(0),
                    PodInterface.Attachment.BRIDGE_PORT, mac, "CNI cache entry " + a.file()));
        }

        Map<ObjectKey, PodInterface> chosen = new TreeMap<>();
        claims.forEach((pod, cs) -> {
            Set<String> interfaces = cs.stream().map(c -> c.name() + " (" + c.source() + ")")
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (cs.stream().map(c -> c.name() + "/" + c.attachment()).distinct().count() > 1) {
                refuse(refusals, pod, "it is claimed by different interfaces: " + String.join(", ", interfaces));
                return;
            }
            Claim first = cs.get(0);
            Set<Optional<String>> macs = cs.stream().map(Claim::mac).collect(Collectors.toSet());
            Optional<String> mac = macs.size() == 1 ? first.mac() : Optional.empty();
            try {
                chosen.put(pod, new PodInterface(first.name(), first.attachment(), mac));
            } catch (IllegalArgumentException e) {
                refuse(refusals, pod, e.getMessage());
            }
        });

        Map<String, Set<ObjectKey>> byInterface = new TreeMap<>();
        chosen.forEach((pod, i) -> byInterface.computeIfAbsent(i.name(), x -> new TreeSet<>()).add(pod));
        byInterface.forEach((name, claimants) -> {
            if (claimants.size() > 1) {
                for (ObjectKey pod : claimants) {
                    chosen.remove(pod);
                    refuse(refusals, pod, "the interface " + name + " is claimed by several pods " + claimants.stream()
                            .map(ObjectKey::namespacedName).toList());
                }
            }
        });

        Map<ObjectKey, String> unknown = new TreeMap<>();
        for (ObjectKey pod : pods.keySet()) {
            if (!chosen.containsKey(pod)) {
                Set<String> why = refusals.get(pod);
                unknown.put(pod, why == null ? NOTHING_FOUND : String.join("; ", why));
            }
        }
        return new InterfaceBindings(new TreeMap<>(chosen), unknown);
    }

    private static boolean isBridgePort(Map<String, Link> links, String name) {
        Link link = links.get(name);
        return link != null && link.master().map(links::get).filter(Link::isBridge).isPresent();
    }

    private static void refuse(Map<ObjectKey, Set<String>> refusals, ObjectKey pod, String why) {
        refusals.computeIfAbsent(pod, x -> new LinkedHashSet<>()).add(why);
    }
}
