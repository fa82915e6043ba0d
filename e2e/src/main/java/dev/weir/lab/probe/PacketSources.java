package dev.weir.lab.probe;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.graph.Reachability;
import dev.weir.graph.Verdict;
import dev.weir.lab.spec.Backend;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a lab packet leaves with another source address than its source pod's IP, and explain's verdict for the
 * packet as it really is. One case: a hostNetwork pod (its IP is its node's underlay address) sending to a pod on
 * another node over VXLAN. The route to a remote pod CIDR goes out {@code flannel.1}, so the kernel picks
 * {@code flannel.1}'s address {@code 10.244.<i>.0} as source, and a process that binds the underlay address anyway is
 * masqueraded to it by flannel's {@code FLANNEL-POSTRTG} (the host's traffic into the cluster network). The
 * destination node therefore judges {@code 10.244.<i>.0}, which is no pod's and no Node's address: an ipBlock of the
 * node's underlay address does not match it. {@code weir explain}, asked about the pod, judges the pod's IP, which the
 * model takes as the node's address; asked about the address ({@code --from 10.244.1.0}) it judges the packet. The
 * lab compares packets with the latter. With host-gw the packet keeps the underlay address and nothing changes; a
 * node's own pods are reached over {@code cni0} or a {@code cali} route, always allowed whatever the source.
 */
public final class PacketSources {

    private PacketSources() {
    }

    /** The source address the packet {@code from → to} carries when it is not {@code from}'s IP, else empty. */
    public static Optional<String> rewritten(LabPlan plan, LabPlan.PodPlan from, LabPlan.PodPlan to) {
        return rewritten(plan, from, to, IpFamily.V4);
    }

    /**
     * The same for a packet of {@code family}: over IPv6 the route to a remote pod subnet goes out
     * {@code flannel-v6.1}, whose address the kernel picks likewise (the lab installs no IPv6 masquerade, so only a
     * socket left unbound gets it, as the prober's are).
     */
    public static Optional<String> rewritten(LabPlan plan, LabPlan.PodPlan from, LabPlan.PodPlan to,
            IpFamily family) {
        if (plan.backend() != Backend.VXLAN || !from.hostNetwork() || to.hostNetwork()
                || from.node().equals(to.node())) {
            return Optional.empty();
        }
        LabPlan.NodePlan node = plan.node(from.node());
        return Optional.of(family == IpFamily.V6 ? node.vtepIpv6() : node.vtepIp());
    }

    /**
     * {@code table} with each cell whose packet leaves with a {@link #rewritten} source replaced by the verdict for
     * that address (as {@code weir explain --from ADDRESS --to POD} gives it), its first reason saying why.
     */
    public static TruthTable asSent(TruthTable table, Reachability reachability, LabPlan plan) {
        return asSent(table, reachability, plan, null);
    }

    /** The same for packets of {@code family} ({@code null}: the lab's primary family). */
    public static TruthTable asSent(TruthTable table, Reachability reachability, LabPlan plan, IpFamily family) {
        IpFamily f = family == null ? plan.ipStack().primary() : family;
        TruthTable.Builder b = table.toBuilder();
        for (PortProtocol t : table.targets()) {
            for (String fromKey : table.pods()) {
                for (String toKey : table.pods()) {
                    Optional<LabPlan.PodPlan> from = plan.pod(fromKey);
                    Optional<LabPlan.PodPlan> to = plan.pod(toKey);
                    Endpoint dst = reachability.graph().endpoint(toKey);
                    if (from.isEmpty() || to.isEmpty() || dst == null) {
                        continue;
                    }
                    Optional<String> source = rewritten(plan, from.get(), to.get(), f);
                    if (source.isEmpty() || table.cell(fromKey, toKey, t).isEmpty()) {
                        continue;
                    }
                    Verdict v = reachability.evaluate(reachability.outside(IpAddress.parse(source.get())), dst,
                            t.port(), t.protocol());
                    List<String> reasons = new ArrayList<>();
                    reasons.add(fromKey + " is a hostNetwork pod on " + from.get().node() + ": its packets to pods on "
                            + "other nodes leave over VXLAN from flannel.1's " + source.get()
                            + ", so that address is judged, not " + from.get().ip(f));
                    reasons.addAll(v.reasons());
                    b.set(fromKey, toKey, t, new TruthTable.Cell(v.allowed(), reasons, v.decisions()));
                }
            }
        }
        return b.build();
    }
}
