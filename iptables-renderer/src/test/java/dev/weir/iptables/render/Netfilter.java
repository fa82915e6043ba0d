package dev.weir.iptables.render;

import dev.weir.model.Cidr;
import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only model of the netfilter features weir's rules use (addresses, protocol, dport, set (also negated), mark,
 * conntrack with every packet NEW or every packet ESTABLISHED, the connection's conntrack mark given with the packet
 * (connmark, CONNMARK: {@link #connMark()}), hashlimit always under its limit, MARK/ACCEPT/DROP/RETURN/jump, and NFLOG, which
 * goes on to the next rule and records its prefix: {@link #logged()}), executing a rendered {@link Ruleset} for one
 * packet. Unknown syntax fails loudly, so a renderer change that this model does not understand cannot pass by
 * accident.
 */
final class Netfilter {

    /** What became of the packet in weir's hook chain: a verdict, or RETURN to the rest of the built-in chain. */
    enum Outcome { ACCEPT, DROP, RETURN }

    /**
     * A packet; {@code inInterface} is the device it entered the node by ({@code -i}) and {@code physIn} the bridge
     * port it came through ({@code -m physdev --physdev-in}), each null when it has none (a bridged packet's input
     * device is the bridge).
     */
    record Packet(IpAddress src, IpAddress dst, Protocol protocol, int dport, String inInterface, String physIn) {

        Packet(IpAddress src, IpAddress dst, Protocol protocol, int dport) {
            this(src, dst, protocol, dport, null, null);
        }

        /** The same packet entering through {@code pod}'s interface. */
        Packet from(PodInterface pod) {
            return pod.attachment() == PodInterface.Attachment.ROUTED
                    ? new Packet(src, dst, protocol, dport, pod.name(), null)
                    : new Packet(src, dst, protocol, dport, "cni0", pod.name());
        }
    }

    private final Ruleset ruleset;
    private final Map<String, IpSetSpec> sets = new HashMap<>();
    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<String, String[]> tokens = new HashMap<>();
    private int mark;
    private final List<String> logged = new ArrayList<>();
    private boolean established;
    private int connMark;
    private int evaluated;
    private int jumps;

    Netfilter(Ruleset ruleset) {
        this.ruleset = ruleset;
        ruleset.sets().forEach(s -> sets.put(s.name(), s));
        for (FamilyRuleset fr : List.of(ruleset.v4(), ruleset.v6())) {
            fr.chains().forEach(c -> chains.put(fr.family() + " " + c.name(), c));
        }
    }

    /** Runs the packet through the hook of {@code builtin} (FORWARD, INPUT, OUTPUT) of the packet's family. */
    Outcome traverse(String builtin, Packet packet) {
        return traverse(builtin, packet, false);
    }

    /**
     * As {@link #traverse(String, Packet)}, with conntrack seeing the packet as {@code ESTABLISHED} (a reply, or a later
     * packet of an allowed connection) instead of {@code NEW}.
     */
    Outcome traverse(String builtin, Packet packet, boolean established) {
        return traverse(builtin, packet, established, 0);
    }

    /**
     * As {@link #traverse(String, Packet, boolean)}, the connection's conntrack mark being {@code connMark} when the
     * packet arrives (what {@link #connMark()} said after an earlier packet of the connection; a NEW connection's is 0).
     */
    Outcome traverse(String builtin, Packet packet, boolean established, int connMark) {
        FamilyRuleset fr = packet.src().family() == IpFamily.V4 ? ruleset.v4() : ruleset.v6();
        mark = 0;
        this.connMark = connMark;
        logged.clear();
        this.established = established;
        evaluated = 0;
        jumps = 0;
        for (Hook h : fr.hooks()) {
            if (h.builtinChain().equals(builtin)) {
                Outcome o = run(fr, h.target(), packet, 0);
                return o;
            }
        }
        return Outcome.RETURN;
    }

    /** The connection's conntrack mark after the last {@link #traverse}: what its next packet arrives with. */
    int connMark() {
        return connMark;
    }

    /** How many rules the last {@link #traverse} examined, in every chain it entered (matched or not). */
    int evaluated() {
        return evaluated;
    }

    /** How many jumps into a weir chain the last {@link #traverse} made, the hook's jump included. */
    int jumps() {
        return jumps;
    }

    /** The NFLOG prefixes the last {@link #traverse} hit, in order. */
    List<String> logged() {
        return List.copyOf(logged);
    }

    private Outcome run(FamilyRuleset fr, String chainName, Packet p, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("jump loop at " + chainName);
        }
        Chain chain = chains.get(fr.family() + " " + chainName);
        if (chain == null) {
            throw new IllegalStateException("jump to undeclared chain " + chainName);
        }
        jumps++;
        for (IptablesRule rule : chain.rules()) {
            evaluated++;
            String[] t = tokens.computeIfAbsent(rule.spec(), spec -> spec.split(" "));
            int i = 0;
            boolean matches = true;
            while (i < t.length && !t[i].equals("-j")) {
                switch (t[i]) {
                    case "-s" -> matches &= Cidr.parse(t[++i]).contains(p.src());
                    case "-d" -> matches &= Cidr.parse(t[++i]).contains(p.dst());
                    // the packets modelled here are TCP, UDP or SCTP: never ICMPv6 (neighbour discovery)
                    case "-p" -> matches &= !t[++i].equals("ipv6-icmp") && Protocol.parse(t[i]) == p.protocol();
                    case "-i" -> matches &= named(t[++i], p.inInterface());
                    case "-m" -> {
                        String module = t[++i];
                        if (module.equals("hashlimit")) {
                            // always under the limit; the spelling is the one iptables-save prints back
                            if (!t[i + 1].equals("--hashlimit-upto") || !t[i + 2].endsWith("/sec")
                                    || !t[i + 3].equals("--hashlimit-burst") || !t[i + 5].equals("--hashlimit-name")) {
                                throw new IllegalStateException("bad hashlimit match in " + rule.spec());
                            }
                            i += 6;
                        } else if (module.equals("set")) {
                            boolean negated = t[i + 1].equals("!");
                            if (negated) {
                                i++;
                            }
                            String option = t[++i];
                            String value = t[++i];
                            matches &= negated != match(module, option, value, t, i, p, fr.family());
                            i++;
                        } else {
                            String option = t[++i];
                            String value = t[++i];
                            matches &= match(module, option, value, t, i, p, fr.family());
                        }
                    }
                    default -> throw new IllegalStateException("unknown token " + t[i] + " in " + rule.spec());
                }
                i++;
            }
            if (i >= t.length) {
                throw new IllegalStateException("rule without target: " + rule.spec());
            }
            if (!matches) {
                continue;
            }
            String target = t[i + 1];
            switch (target) {
                case "ACCEPT" -> {
                    return Outcome.ACCEPT;
                }
                case "DROP" -> {
                    return Outcome.DROP;
                }
                case "RETURN" -> {
                    return Outcome.RETURN;
                }
                case "NFLOG" -> {
                    String options = String.join(" ", List.of(t).subList(i + 4, t.length));
                    if (!t[i + 2].equals("--nflog-prefix")
                            || !options.matches("(--nflog-group \\d+ )?--nflog-threshold 1")) {
                        throw new IllegalStateException("bad NFLOG target in " + rule.spec());
                    }
                    logged.add(t[i + 3]);
                }
                case "MARK" -> {
                    if (!t[i + 2].equals("--set-xmark")) {
                        throw new IllegalStateException("unknown MARK option in " + rule.spec());
                    }
                    String[] vm = t[i + 3].split("/");
                    int v = Integer.decode(vm[0]);
                    int m = Integer.decode(vm[1]);
                    mark = (mark & ~m) ^ v;
                }
                case "CONNMARK" -> {
                    if (!t[i + 2].equals("--set-xmark") || t.length != i + 4) {
                        throw new IllegalStateException("unknown CONNMARK option in " + rule.spec());
                    }
                    String[] vm = t[i + 3].split("/");
                    connMark = (connMark & ~Long.decode(vm[1]).intValue()) ^ Long.decode(vm[0]).intValue();
                }
                default -> {
                    Outcome o = run(fr, target, p, depth + 1);
                    if (o != Outcome.RETURN) {
                        return o;
                    }
                }
            }
        }
        return Outcome.RETURN;
    }

    private boolean match(String module, String option, String value, String[] t, int i, Packet p, IpFamily family) {
        switch (module) {
            case "set" -> {
                IpSetSpec set = sets.get(value);
                if (set == null || set.family() != family || !option.equals("--match-set")) {
                    throw new IllegalStateException("rule references missing or wrong-family set " + value);
                }
                return inSet(sets, set, t[i + 1], p);
            }
            case "icmp6" -> {
                if (!option.equals("--icmpv6-type")) {
                    throw new IllegalStateException("bad icmp6 match");
                }
                return false;
            }
            case "tcp", "udp", "sctp" -> {
                if (!option.equals("--dport")) {
                    throw new IllegalStateException("bad " + module + " match");
                }
                if (Protocol.parse(module) != p.protocol()) {
                    return false; // the kernel requires -p before -m tcp; the -p match has failed already
                }
                String[] r = value.split(":");
                int first = Integer.parseInt(r[0]);
                int last = r.length > 1 ? Integer.parseInt(r[1]) : first;
                return p.dport() >= first && p.dport() <= last;
            }
            case "mark" -> {
                String[] vm = value.split("/");
                return (mark & Integer.decode(vm[1])) == Integer.decode(vm[0]);
            }
            case "conntrack" -> {
                if (!option.equals("--ctstate")) {
                    throw new IllegalStateException("bad conntrack match");
                }
                return List.of(value.split(",")).contains(established ? "ESTABLISHED" : "NEW");
            }
            case "connmark" -> {
                if (!option.equals("--mark")) {
                    throw new IllegalStateException("bad connmark match");
                }
                String[] vm = value.split("/");
                return (connMark & Long.decode(vm[1]).intValue()) == Long.decode(vm[0]).intValue();
            }
            case "physdev" -> {
                if (!option.equals("--physdev-in")) {
                    throw new IllegalStateException("bad physdev match");
                }
                return named(value, p.physIn());
            }
            default -> throw new IllegalStateException("unknown match module " + module);
        }
    }

    /** An interface match: the name, or with a trailing {@code +} every name that starts with what precedes it. */
    private static boolean named(String match, String name) {
        return name != null && (match.endsWith("+") ? name.startsWith(match.substring(0, match.length() - 1))
                : match.equals(name));
    }

    private static boolean inSet(Map<String, IpSetSpec> sets, IpSetSpec set, String dirs, Packet p) {
        switch (set.type()) {
            case LIST_SET -> {
                // an ordered union: each member set with the match's directions, the first that matches answers
                for (String member : set.members()) {
                    IpSetSpec m = sets.get(member);
                    if (m == null) {
                        throw new IllegalStateException("list:set " + set.name() + " holds missing set " + member);
                    }
                    if (inSet(sets, m, dirs, p)) {
                        return true;
                    }
                }
                return false;
            }
            case HASH_IP -> {
                return set.members().contains((dirs.equals("src") ? p.src() : p.dst()).toString());
            }
            case HASH_NET -> {
                IpAddress a = dirs.equals("src") ? p.src() : p.dst();
                Cidr best = null;
                boolean bestNomatch = false;
                for (String m : set.members()) {
                    boolean nomatch = m.endsWith(" nomatch");
                    Cidr c = Cidr.parse(m.split(" ")[0]);
                    if (c.contains(a) && (best == null || c.prefix() > best.prefix())) {
                        best = c;
                        bestNomatch = nomatch;
                    }
                }
                return best != null && !bestNomatch;
            }
            case HASH_IP_PORT -> {
                if (!dirs.equals("dst,dst")) {
                    throw new IllegalStateException("weir matches ip,port sets on the destination only");
                }
                return set.members().contains(p.dst() + "," + p.protocol().lower() + ":" + p.dport());
            }
            default -> throw new AssertionError(set.type());
        }
    }
}
