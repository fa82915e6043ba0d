package dev.weir.iptables.apply;

import dev.weir.graph.TrackedFlow;
import dev.weir.model.IpAddress;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's connection tracking table through {@code conntrack(8)}, in the namespace of its {@link CommandRunner}:
 * list the TCP, UDP and SCTP flows of both families, delete one flow by its exact original tuple. Revocation uses it
 * after an apply (see {@code docs/applier.md}); the choice of what to delete is {@code FlowRevocation}'s.
 */
public final class ConntrackTable {

    private final CommandRunner runner;

    public ConntrackTable(CommandRunner runner) {
        this.runner = runner;
    }

    /** Every tracked TCP, UDP and SCTP flow, IPv4 then IPv6. */
    public List<TrackedFlow> list() {
        List<TrackedFlow> flows = new ArrayList<>();
        for (String family : List.of("ipv4", "ipv6")) {
            flows.addAll(parse(runner.run(List.of("conntrack", "-L", "-f", family)).orThrow().stdout()));
        }
        return flows;
    }

    /**
     * Deletes the flow with exactly this original tuple; returns whether an entry was deleted (false when the flow
     * ended on its own in the meantime, which conntrack reports as exit 1). Then deletes the entry a reply still in
     * flight may have created meanwhile: with no entry, an answer is tracked as a new flow in the other direction
     * (its original tuple is our reply tuple), which the destination's policy may allow, and which would then carry
     * the denied flow on as its "replies". That exact tuple can belong to no other flow.
     */
    public boolean delete(TrackedFlow flow) {
        boolean deleted = delete(flow.protocol(), flow.original());
        delete(flow.protocol(), flow.reply());
        return deleted;
    }

    private boolean delete(Protocol protocol, TrackedFlow.Tuple t) {
        CommandRunner.Result r = runner.run(List.of("conntrack", "-D", "-p", protocol.lower(),
                "-s", t.src().toString(), "-d", t.dst().toString(),
                "--sport", Integer.toString(t.sport()), "--dport", Integer.toString(t.dport())));
        if (r.ok()) {
            return true;
        }
        if (r.exitCode() == 1 && r.stderr().contains("0 flow entries")) {
            return false;
        }
        throw ApplyException.of(r);
    }

    /**
     * Parses {@code conntrack -L} text: one flow a line, {@code proto protonum [timeout] [state] src= dst= sport= dport=
     * [flags] src= dst= sport= dport= ...}; the first address/port group is the original tuple, the second the reply.
     * Other protocols (ICMP, GRE, ...), lines without both tuples and TCP connections that have ended ({@link #closed})
     * are skipped.
     */
    public static List<TrackedFlow> parse(String text) {
        List<TrackedFlow> flows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] words = line.trim().split("\\s+");
            Protocol protocol = switch (words[0].toLowerCase(Locale.ROOT)) {
                case "tcp" -> Protocol.TCP;
                case "udp" -> Protocol.UDP;
                case "sctp" -> Protocol.SCTP;
                default -> null;
            };
            if (protocol == null || protocol == Protocol.TCP && closed(words)) {
                continue;
            }
            List<String> src = new ArrayList<>();
            List<String> dst = new ArrayList<>();
            List<String> sport = new ArrayList<>();
            List<String> dport = new ArrayList<>();
            for (String w : words) {
                int eq = w.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String value = w.substring(eq + 1);
                switch (w.substring(0, eq)) {
                    case "src" -> src.add(value);
                    case "dst" -> dst.add(value);
                    case "sport" -> sport.add(value);
                    case "dport" -> dport.add(value);
                    default -> {
                    }
                }
            }
            if (src.size() < 2 || dst.size() < 2 || sport.size() < 2 || dport.size() < 2) {
                continue;
            }
            flows.add(new TrackedFlow(protocol, tuple(src, dst, sport, dport, 0), tuple(src, dst, sport, dport, 1)));
        }
        return flows;
    }

    /**
     * Whether a TCP entry's state (the word before the first tuple) is {@code TIME_WAIT} or {@code CLOSE}: the
     * connection has ended, nothing flows on it, and a SYN that reuses its tuple makes conntrack drop the entry and
     * track the packet as NEW, so policy judges it. Such entries are most of a busy node's table (each lingers 120 s
     * after its connection closed); revoking them would cost two {@code conntrack -D} processes each and change nothing.
     */
    private static boolean closed(String[] words) {
        for (String w : words) {
            if (w.indexOf('=') >= 0) {
                return false;
            }
            if (w.equals("TIME_WAIT") || w.equals("CLOSE")) {
                return true;
            }
        }
        return false;
    }

    private static TrackedFlow.Tuple tuple(List<String> src, List<String> dst, List<String> sport, List<String> dport,
            int i) {
        return new TrackedFlow.Tuple(IpAddress.parse(src.get(i)), IpAddress.parse(dst.get(i)),
                Integer.parseInt(sport.get(i)), Integer.parseInt(dport.get(i)));
    }
}
