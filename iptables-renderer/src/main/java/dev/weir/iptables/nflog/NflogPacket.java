package dev.weir.iptables.nflog;

import dev.weir.model.IpAddress;
import dev.weir.model.IpFamily;
import dev.weir.model.Protocol;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One packet the kernel logged to an NFLOG group, decoded as far as a denial record needs: which rule (the prefix),
 * the addresses, the L4 protocol and ports (or ICMP type and code), where it was seen and its mark.
 *
 * @param group           the NFLOG group it was logged to
 * @param prefix          the rule's {@code --nflog-prefix} ("" when the rule has none)
 * @param hook            the netfilter hook: 0 PREROUTING, 1 INPUT, 2 FORWARD, 3 OUTPUT, 4 POSTROUTING
 * @param protocolNumber  the IP protocol (IPv6: the header after every extension header that could be skipped)
 * @param sourcePort      TCP/UDP/SCTP/DCCP/UDP-Lite source port; -1 for other protocols, non-first fragments and
 *                        packets copied too short to hold it
 * @param destinationPort likewise
 * @param icmpType        ICMP (IPv4) or ICMPv6 (IPv6) type; -1 otherwise
 * @param icmpCode        likewise
 * @param inInterface     input interface index; 0 when there is none (OUTPUT)
 * @param outInterface    output interface index; 0 when there is none (PREROUTING, INPUT)
 * @param physInInterface bridge port the packet came in on (br_netfilter); 0 when not bridged
 * @param physOutInterface bridge port it leaves by; 0 when not bridged or not known yet
 * @param mark            the packet mark (unsigned 32 bits); 0 when unmarked
 * @param sequence        the group's sequence number (unsigned 32 bits) when the socket asked for it, else -1
 * @param timestamp       when the packet was received, if the kernel stamped it
 */
public record NflogPacket(int group, String prefix, int hook, IpFamily family, IpAddress source, IpAddress destination,
        int protocolNumber, int sourcePort, int destinationPort, int icmpType, int icmpCode, int inInterface,
        int outInterface, int physInInterface, int physOutInterface, int mark, long sequence,
        Optional<Instant> timestamp) {

    public NflogPacket {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(timestamp, "timestamp");
        if (source.family() != family || destination.family() != family) {
            throw new IllegalArgumentException("addresses " + source + " -> " + destination + " are not " + family);
        }
        if (protocolNumber < 0 || protocolNumber > 255) {
            throw new IllegalArgumentException("IP protocol " + protocolNumber + " out of 0-255");
        }
    }

    /** The protocol as a NetworkPolicy names it, when it is one of TCP, UDP and SCTP. */
    public Optional<Protocol> protocol() {
        return switch (protocolNumber) {
            case 6 -> Optional.of(Protocol.TCP);
            case 17 -> Optional.of(Protocol.UDP);
            case 132 -> Optional.of(Protocol.SCTP);
            default -> Optional.empty();
        };
    }

    /** Whether ports were decoded (see {@link #sourcePort}). */
    public boolean hasPorts() {
        return sourcePort >= 0;
    }

    @Override
    public String toString() {
        String l4 = hasPorts() ? " " + sourcePort + " -> " + destinationPort
                : icmpType >= 0 ? " type " + icmpType + " code " + icmpCode : "";
        return "NflogPacket[group " + group + " \"" + prefix + "\" hook " + hook + " " + source + " -> " + destination
                + " proto " + protocolNumber + l4 + " in " + inInterface + " out " + outInterface
                + (mark != 0 ? " mark 0x" + Integer.toHexString(mark) : "") + "]";
    }
}
