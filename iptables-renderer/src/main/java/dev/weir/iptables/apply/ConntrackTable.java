package dev.weir.iptables.apply;

import dev.weir.graph.TrackedFlow;
import dev.weir.iptables.sys.NetworkNamespace;
import dev.weir.model.IpAddress;
import dev.weir.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's connection tracking table, in the namespace of its {@link CommandRunner}: list the TCP, UDP and SCTP
 * flows of both families ({@code conntrack -L}), delete flows by their exact original tuple — over ctnetlink, many in
 * one message ({@link ConntrackNetlink}) when the table knows its namespace, else one {@code conntrack -D} process per
 * tuple. Revocation uses it after an apply (see {@code docs/applier.md}); the choice of what to delete is
 * {@code FlowRevocation}'s.
 */
public final class ConntrackTable {

    private static final Logger LOG = LoggerFactory.getLogger(ConntrackTable.class);

    private final CommandRunner runner;
    private final NetworkNamespace netns;
    private boolean netlinkFailed;

    /** Lists and deletes through {@code conntrack(8)} only. */
    public ConntrackTable(CommandRunner runner) {
        this(runner, null);
    }

    /** Deletes over ctnetlink in {@code netns} (the runner's namespace), falling back to {@code conntrack(8)}. */
    public ConntrackTable(CommandRunner runner, NetworkNamespace netns) {
        this.runner = runner;
        this.netns = netns;
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

    /**
     * Deletes each flow as {@link #delete(TrackedFlow)} does (its original tuple, then the entry a reply in flight may
     * have made of its reply tuple); returns how many of them still had an entry. Over ctnetlink in one socket when the
     * table has its namespace: microseconds a flow, where a {@code conntrack -D} process costs tens of milliseconds
     * and reads the whole table. If the socket cannot be used (logged once), it falls back to the processes.
     */
    public int deleteAll(List<TrackedFlow> flows) {
        if (flows.isEmpty()) {
            return 0;
        }
        if (netns != null && !netlinkFailed) {
            List<Protocol> protocols = new ArrayList<>(2 * flows.size());
            List<TrackedFlow.Tuple> tuples = new ArrayList<>(2 * flows.size());
            for (TrackedFlow f : flows) {
                protocols.add(f.protocol());
                tuples.add(f.original());
                protocols.add(f.protocol());
                tuples.add(f.reply());
            }
            try {
                int[] errno = netns.call(() -> ConntrackNetlink.delete(protocols, tuples)).errno();
                int deleted = 0;
                for (int i = 0; i < errno.length; i++) {
                    if (errno[i] == 0) {
                        deleted += i % 2 == 0 ? 1 : 0;
                    } else if (errno[i] != ConntrackNetlink.ENOENT) {
                        TrackedFlow.Tuple t = tuples.get(i);
                        throw new ApplyException(List.of("ctnetlink", "delete", protocols.get(i).lower(),
                                t.src() + ":" + t.sport(), t.dst() + ":" + t.dport()), errno[i], "",
                                "the kernel refused to delete a conntrack entry: errno " + errno[i]);
                    }
                }
                return deleted;
            } catch (ConntrackNetlink.ConntrackNetlinkException e) {
                netlinkFailed = true;
                LOG.warn("deleting conntrack entries over netlink in {}: {}; deleting with conntrack(8) from now on",
                        netns, e.getMessage());
            } catch (ApplyException | IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("deleting conntrack entries in " + netns + ": " + e.getMessage(), e);
            }
        }
        int deleted = 0;
        for (TrackedFlow f : flows) {
            deleted += delete(f) ? 1 : 0;
        }
        return deleted;
    }

    /** Whether {@link #deleteAll} deletes over ctnetlink (it has the namespace, and the socket has not failed). */
    public boolean deletesOverNetlink() {
        return netns != null && !netlinkFailed;
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
