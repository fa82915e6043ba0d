package dev.weir.iptables.render;

import dev.weir.graph.Decision;
import dev.weir.model.Cidr;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chains that run before any policy (see {@code docs/dataplane.md}, Anti-spoofing): {@link Names#FROM_POD}, entered
 * from FORWARD and INPUT, lets a packet from a local pod's interface through only with one of that pod's own addresses
 * as source and drops anything else from that interface; with fail-closed it also drops packets whose source is a
 * local pod address no programmed pod holds. {@link Names#TO_POD} (fail-closed only, FORWARD) drops packets to such
 * addresses. Each rule's comment names the pod ({@code pod:ns/name}), so {@code iptables -L -v} counts drops per pod.
 * Each drop may be preceded by its NFLOG rule ({@link DenialLogRules}): a spoofed source, or an unprogrammed pod.
 */
final class PodGuardChains {

    /** IPv6 link-local sources (neighbour discovery, router solicitation) a pod always sends from. */
    private static final String LINK_LOCAL_V6 = "fe80::/10";
    /** The unspecified address, IPv6 duplicate address detection's source. */
    private static final String UNSPECIFIED_V6 = "::/128";

    private final LocalNetwork network;
    private final List<Endpoint> pods;
    private final DenialLogRules log;

    /** {@code pods}: every live local pod with an address, whether or not a policy selects it, in key order. */
    PodGuardChains(LocalNetwork network, List<Endpoint> pods, DenialLogRules log) {
        this.network = network;
        this.pods = pods;
        this.log = log;
    }

    /**
     * True when this family gets the guard chains at all: something is known and a local pod has an address of the
     * family or the node has pod addresses of it (a node without IPv6 pods gets no IPv6 rules).
     */
    boolean rendered(IpFamily family) {
        return network.guarded() && (pods.stream().anyMatch(p -> p.ip(family).isPresent()) || !cidrs(family).isEmpty());
    }

    /** True when this family drops traffic to and from unprogrammed local addresses. */
    boolean failClosed(IpFamily family) {
        return network.failClosed() && !cidrs(family).isEmpty();
    }

    /** The interface match a local pod's egress dispatch adds to its source address, if its interface is known. */
    Optional<String> boundTo(Endpoint pod) {
        return Optional.ofNullable(network.interfaces().get(pod.key())).map(PodInterface::inMatch);
    }

    /**
     * {@link Names#FROM_POD}'s rules and, past {@link DispatchTree#LEAF} pods with known interfaces, the branch chains
     * of their {@link InterfaceTree}.
     */
    DispatchTree.Tree fromPod(IpFamily family) {
        List<IptablesRule> out = new ArrayList<>();
        boolean failClosed = failClosed(family);
        if (failClosed) {
            // the node's own traffic to itself (e.g. to the bridge's gateway address) enters on lo
            out.add(IptablesRule.of("from-pod", "-i lo", "RETURN"));
        }
        List<InterfaceTree.Entry> bound = new ArrayList<>();
        for (Endpoint pod : pods) {
            PodInterface pi = network.interfaces().get(pod.key());
            if (pi == null) {
                continue;
            }
            String in = pi.inMatch();
            String owner = owner(pod);
            List<IptablesRule> checks = new ArrayList<>();
            pod.ip(family).ifPresent(ip -> checks.add(IptablesRule.of(owner, "-s " + host(ip) + " " + in, "RETURN")));
            if (family == IpFamily.V6) {
                checks.add(IptablesRule.of(owner, "-s " + LINK_LOCAL_V6 + " " + in, "RETURN"));
                checks.add(IptablesRule.of(owner, "-s " + UNSPECIFIED_V6 + " " + in, "RETURN"));
            }
            log.forNamespace(owner, in, Decision.spoofedSource(pod.key()), pod.namespace()).ifPresent(checks::add);
            checks.add(IptablesRule.of(owner, in, "DROP"));
            bound.add(new InterfaceTree.Entry(pi, checks));
        }
        DispatchTree.Tree tree = InterfaceTree.of(bound);
        out.addAll(tree.root());
        if (failClosed) {
            // programmed pods whose interface is unknown are judged by address alone; after every bound pod's DROP,
            // so a bound pod cannot pass with such an address
            for (Endpoint pod : pods) {
                if (boundTo(pod).isEmpty()) {
                    pod.ip(family).ifPresent(ip -> out.add(IptablesRule.of(owner(pod), "-s " + host(ip), "RETURN")));
                }
            }
        }
        if (failClosed) {
            for (Cidr cidr : cidrs(family)) {
                log.forUnknownPod("unprogrammed", "-s " + cidr, Decision.unprogrammedPod(PolicyType.EGRESS))
                        .ifPresent(out::add);
                out.add(IptablesRule.of("unprogrammed", "-s " + cidr, "DROP"));
            }
        }
        return new DispatchTree.Tree(out, tree.branches());
    }

    List<IptablesRule> toPod(IpFamily family) {
        List<IptablesRule> out = new ArrayList<>();
        for (Endpoint pod : pods) {
            pod.ip(family).ifPresent(ip -> out.add(IptablesRule.of(owner(pod), "-d " + host(ip), "RETURN")));
        }
        for (Cidr cidr : cidrs(family)) {
            log.forUnknownPod("unprogrammed", "-d " + cidr, Decision.unprogrammedPod(PolicyType.INGRESS))
                    .ifPresent(out::add);
            out.add(IptablesRule.of("unprogrammed", "-d " + cidr, "DROP"));
        }
        return out;
    }

    private List<Cidr> cidrs(IpFamily family) {
        return network.podCidrs().stream().filter(c -> c.family() == family).toList();
    }

    private static String owner(Endpoint pod) {
        return "pod:" + pod.key().namespacedName();
    }

    static String host(IpAddress ip) {
        return ip + "/" + ip.family().bits();
    }
}
