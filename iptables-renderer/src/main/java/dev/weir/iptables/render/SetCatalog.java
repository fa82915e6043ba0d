package dev.weir.iptables.render;

import dev.weir.graph.CompiledPolicy;
import dev.weir.graph.CompiledRule;
import dev.weir.graph.IpBlockSet;
import dev.weir.graph.NodeGroup;
import dev.weir.graph.PeerGroup;
import dev.weir.graph.PeerRef;
import dev.weir.graph.PolicyGraph;
import dev.weir.model.Cidr;
import dev.weir.model.Endpoint;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Node;
import dev.weir.model.Peer;
import dev.weir.model.PortMatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The ipsets one node's rules reference, built on first reference during one render: a set exists exactly when some
 * rendered rule names it, which is the node's share of {@link PolicyGraph#span}. Membership lives here, never in rules.
 */
final class SetCatalog {

    private final PolicyGraph graph;
    private final String node;
    private final SetMemo memo;
    private final SortedMap<String, IpSetSpec> sets = new TreeMap<>();

    SetCatalog(PolicyGraph graph, String node) {
        this(graph, node, SetMemo.none());
    }

    /** A catalog that takes pod and node group sets from {@code memo} while their group snapshots are the same. */
    SetCatalog(PolicyGraph graph, String node, SetMemo memo) {
        this.graph = graph;
        this.node = node;
        this.memo = memo;
        memo.renderStarting(graph);
    }

    /** This render is complete: the memo keeps its group sets for the next. */
    void done() {
        memo.renderDone();
    }

    /** Every set referenced so far, by name. */
    Collection<IpSetSpec> sets() {
        return sets.values();
    }

    /**
     * The one set that matches what any of {@code members} (sets of one family, already in this catalog) matches: the
     * set itself when there is one, else a list:set holding them ({@link Names#unionSet}), which the kernel tests
     * member by member, stopping at the first that matches.
     */
    String union(IpFamily family, Collection<String> members) {
        List<String> names = members.stream().distinct().sorted().toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        String name = Names.unionSet(family, names);
        sets.putIfAbsent(name, new IpSetSpec(name, IpSetSpec.Type.LIST_SET, family, names));
        return name;
    }

    /** hash:ip of the group's members' addresses of one family. */
    String group(IpFamily family, String groupId) {
        String name = Names.groupSet(family, groupId);
        if (!sets.containsKey(name)) {
            PeerGroup group = graph.group(groupId);
            IpSetSpec spec = memo.get(name, group);
            if (spec == null) {
                spec = memo.patchGroup(name, family, group);
            }
            if (spec == null) {
                List<String> members = new ArrayList<>();
                for (Endpoint e : graph.members(groupId)) {
                    e.ip(family).ifPresent(ip -> members.add(ip.toString()));
                }
                spec = new IpSetSpec(name, IpSetSpec.Type.HASH_IP, family, members);
                memo.put(name, group, spec);
            }
            sets.put(name, spec);
        }
        return name;
    }

    /**
     * hash:ip of the addresses (of one family) of the nodes in a node group: what a {@code nodes} peer matches. A node
     * joining, leaving or changing address changes this set, never a rule.
     */
    String nodes(IpFamily family, String nodeGroupId) {
        String name = Names.nodeSet(family, nodeGroupId);
        if (!sets.containsKey(name)) {
            NodeGroup group = graph.nodeGroup(nodeGroupId);
            IpSetSpec spec = memo.get(name, group);
            if (spec == null) {
                List<String> members = new ArrayList<>();
                for (Node n : graph.nodeMembers(nodeGroupId)) {
                    n.addresses(family).forEach(ip -> members.add(ip.toString()));
                }
                spec = new IpSetSpec(name, IpSetSpec.Type.HASH_IP, family, members);
                memo.put(name, group, spec);
            }
            sets.put(name, spec);
        }
        return name;
    }

    /**
     * hash:net of an ipBlock: the cidr (a /0 as its two halves, which hash:net can hold) and each except as a
     * {@code nomatch} member; hash:net answers with the most specific entry, so an except wins inside the cidr.
     */
    String block(IpBlockSet block) {
        Peer.IpBlock b = block.block();
        String name = Names.blockSet(b.cidr().family(), block.id());
        if (!sets.containsKey(name)) {
            List<Cidr> positive = new ArrayList<>(b.cidr().prefix() == 0 ? List.of(b.cidr().halves()) : List.of(b.cidr()));
            List<String> members = new ArrayList<>();
            for (Cidr except : b.except()) {
                // an except equal to a /0 half simply removes that half: hash:net cannot hold one entry twice
                if (!positive.remove(except)) {
                    members.add(netMember(except) + " nomatch");
                }
            }
            positive.forEach(c -> members.add(netMember(c)));
            sets.put(name, new IpSetSpec(name, IpSetSpec.Type.HASH_NET, b.cidr().family(), members));
        }
        return name;
    }

    /**
     * hash:ip,port for a named port of an ingress rule: the name resolves on the destination, which is the policy's
     * own selected pod, so the set holds each local applied-to pod's {@code ip,proto:port}.
     */
    String namedIngress(IpFamily family, CompiledPolicy policy, PortMatch.Named port) {
        return namedIngress(family, policy.appliedTo().id(), port);
    }

    /** As {@link #namedIngress(IpFamily, CompiledPolicy, PortMatch.Named)} for the pods of any subject group. */
    String namedIngress(IpFamily family, String groupId, PortMatch.Named port) {
        String name = Names.namedPortSet(family, "ingress|" + groupId + "|" + port);
        if (!sets.containsKey(name)) {
            List<String> members = new ArrayList<>();
            for (Endpoint e : graph.members(groupId)) {
                if (node.equals(e.node())) {
                    entry(e, family, port).ifPresent(members::add);
                }
            }
            sets.put(name, new IpSetSpec(name, IpSetSpec.Type.HASH_IP_PORT, family, members));
        }
        return name;
    }

    /**
     * hash:ip,port for a named port of an egress rule: the name resolves on the peer (the destination), so the set
     * holds {@code ip,proto:port} of every pod the rule's peers match that declares the name. The set therefore
     * encodes the peer match as well. Terminal pods are left out: their address may already belong to another pod.
     */
    String namedEgress(IpFamily family, CompiledRule rule, PortMatch.Named port) {
        return namedEgress(family, rule.peers(), port);
    }

    /** As {@link #namedEgress(IpFamily, CompiledRule, PortMatch.Named)} for any peer list (empty = every pod). */
    String namedEgress(IpFamily family, List<PeerRef> peers, PortMatch.Named port) {
        List<String> refs = peers.stream().map(SetCatalog::refText).sorted().toList();
        String name = Names.namedPortSet(family, "egress|" + String.join(",", refs) + "|" + port);
        if (!sets.containsKey(name)) {
            List<String> members = new ArrayList<>();
            if (peers.isEmpty()) {
                for (Endpoint e : graph.endpoints().values()) {
                    if (!e.phase().terminal()) {
                        entry(e, family, port).ifPresent(members::add);
                    }
                }
            }
            for (PeerRef ref : peers) {
                if (ref instanceof PeerRef.Group g) {
                    for (Endpoint e : graph.members(g.id())) {
                        entry(e, family, port).ifPresent(members::add);
                    }
                } else if (ref instanceof PeerRef.Block b) {
                    Peer.IpBlock block = graph.ipBlockSet(b.id()).block();
                    if (block.cidr().family() != family) {
                        continue;
                    }
                    for (Endpoint e : graph.endpoints().values()) {
                        Optional<IpAddress> ip = e.ip(family);
                        if (!e.phase().terminal() && ip.isPresent() && block.contains(ip.get())) {
                            entry(e, family, port).ifPresent(members::add);
                        }
                    }
                } else if (ref instanceof PeerRef.Nodes) {
                    // nodes declare no port names: a rule with a nodes peer cannot have a named port (the model and
                    // the CRD refuse it), so this peer contributes nothing
                    continue;
                } else {
                    throw new AssertionError(ref);
                }
            }
            sets.put(name, new IpSetSpec(name, IpSetSpec.Type.HASH_IP_PORT, family, members));
        }
        return name;
    }

    /**
     * hash:ip of the local pods (their addresses of one family) whose denials are logged other than the node's
     * default says ({@link Names#denialLogSet}); {@code members} come from {@link DenialLogRules}, sorted there.
     */
    String denialLog(IpFamily family, boolean loggedByDefault, List<String> members) {
        String name = Names.denialLogSet(family, loggedByDefault);
        sets.putIfAbsent(name, new IpSetSpec(name, IpSetSpec.Type.HASH_IP, family, members));
        return name;
    }

    /** A hash:net member as {@code ipset save} prints it: host routes without their /32 or /128. */
    private static String netMember(Cidr c) {
        return c.prefix() == c.family().bits() ? c.network().toString() : c.toString();
    }

    private static Optional<String> entry(Endpoint e, IpFamily family, PortMatch.Named port) {
        Optional<IpAddress> ip = e.ip(family);
        Optional<Integer> number = e.resolvePort(port.name(), port.protocol());
        if (ip.isEmpty() || number.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ip.get() + "," + port.protocol().lower() + ":" + number.get());
    }

    private static String refText(PeerRef ref) {
        return ref.id();
    }
}
