package dev.weir.agent.denials;

import dev.weir.graph.Decision;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the denied-traffic log: the packets of one flow that one decision dropped on {@code node} within one
 * interval ({@code docs/denials.md}, "Records").
 *
 * @param time        when the first of the counted packets was logged
 * @param source      the source address and the pod holding it, if any
 * @param destination likewise
 * @param protocol    the IP protocol number (6 TCP, 17 UDP, 132 SCTP, 1 ICMP, 58 ICMPv6, ...)
 * @param port        the destination port (TCP, UDP, SCTP, DCCP, UDP-Lite), the ICMP or ICMPv6 type, or -1
 * @param decision    what dropped the packets: the same value {@code weir explain} gives for that side
 * @param count       how many packets were logged (the NFLOG rules are rate-limited: at most that many were dropped
 *                    and logged; more may have been dropped unlogged)
 */
public record DenialRecord(Instant time, String node, End source, End destination, int protocol, int port,
        Decision decision, long count) {

    /** One end of a packet: its address and, when a pod holds that address, the pod. */
    public record End(IpAddress ip, Optional<ObjectKey> pod) {
        public End {
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(pod, "pod");
        }
    }

    public DenialRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(decision, "decision");
        if (count < 1) {
            throw new IllegalArgumentException("a record counts at least one packet, not " + count);
        }
    }

    /** The end whose pod the decision protects: the destination for ingress, the source for egress. */
    public End protectedEnd() {
        return decision.direction() == PolicyType.INGRESS ? destination : source;
    }

    /** How the log names an IP protocol: TCP, UDP, SCTP, ICMP, ICMPv6, DCCP, UDPLite, else its number. */
    public static String protocolName(int protocol) {
        return switch (protocol) {
            case 1 -> "ICMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 33 -> "DCCP";
            case 58 -> "ICMPv6";
            case 132 -> "SCTP";
            case 136 -> "UDPLite";
            default -> Integer.toString(protocol);
        };
    }

    /** The protocol number {@link #protocolName} names: {@code "TCP"} is 6, {@code "47"} is 47. */
    public static int protocolNumber(String name) {
        return switch (name) {
            case "ICMP" -> 1;
            case "TCP" -> 6;
            case "UDP" -> 17;
            case "DCCP" -> 33;
            case "ICMPv6" -> 58;
            case "SCTP" -> 132;
            case "UDPLite" -> 136;
            default -> {
                if (!name.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(name) > 255) {
                    throw new IllegalArgumentException("not an IP protocol: \"" + name + "\"");
                }
                yield Integer.parseInt(name);
            }
        };
    }
}
