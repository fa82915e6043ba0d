package dev.weir.k8s.admin;

import dev.weir.crd.Port;
import dev.weir.crd.ProtocolMatch;
import dev.weir.crd.TransportMatch;
import dev.weir.k8s.Findings;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import dev.weir.model.admin.ClusterPolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A rule's {@code protocols} → model {@link PortMatch}es. */
final class ProtocolsTranslator {

    /**
     * The translated ports; {@code matchesNothing} when every entry was set aside as unusable, so the rule as a
     * whole can match no packet (an empty {@code ports} list would mean the opposite: every port).
     */
    record Ports(List<PortMatch> ports, boolean matchesNothing) {
    }

    private ProtocolsTranslator() {
    }

    static Optional<Ports> translate(List<ProtocolMatch> protocols, String field, Findings findings) {
        if (protocols == null) {
            return Optional.of(new Ports(List.of(), false)); // omitted: every port of every protocol
        }
        if (protocols.isEmpty()) {
            findings.error(field, "must have at least 1 item when present (omit it to match all traffic)");
            return Optional.empty();
        }
        if (protocols.size() > ClusterPolicyRule.MAX_PEERS) {
            findings.error(field, "must have at most " + ClusterPolicyRule.MAX_PEERS + " items");
            return Optional.empty();
        }
        int before = findings.errorCount();
        List<PortMatch> out = new ArrayList<>();
        for (int i = 0; i < protocols.size(); i++) {
            out.addAll(entry(protocols.get(i), field + "[" + i + "]", findings));
        }
        if (findings.errorCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new Ports(out.stream().distinct().toList(), out.isEmpty()));
    }

    private static List<PortMatch> entry(ProtocolMatch p, String field, Findings findings) {
        if (p == null) {
            findings.error(field, "must not be null");
            return List.of();
        }
        int set = (p.getTcp() != null ? 1 : 0) + (p.getUdp() != null ? 1 : 0) + (p.getSctp() != null ? 1 : 0)
                + (p.getDestinationNamedPort() != null ? 1 : 0);
        if (set != 1) {
            findings.error(field, "exactly one of tcp, udp, sctp or destinationNamedPort must be set (found " + set
                    + ")");
            return List.of();
        }
        if (p.getTcp() != null) {
            return transport(Protocol.TCP, p.getTcp(), field + ".tcp", findings);
        }
        if (p.getUdp() != null) {
            return transport(Protocol.UDP, p.getUdp(), field + ".udp", findings);
        }
        if (p.getSctp() != null) {
            return transport(Protocol.SCTP, p.getSctp(), field + ".sctp", findings);
        }
        String name = p.getDestinationNamedPort();
        try {
            return ClusterPolicyRule.namedPortAnyProtocol(name);
        } catch (IllegalArgumentException e) {
            // Valid for the API (it does not constrain the string) but no container port can carry this name.
            findings.warn(field + ".destinationNamedPort", e.getMessage()
                    + "; no container port can have this name, so this entry matches nothing");
            return List.of();
        }
    }

    private static List<PortMatch> transport(Protocol protocol, TransportMatch t, String field, Findings findings) {
        Port port = t.getDestinationPort();
        if (port == null) {
            // Upstream asks for at least one property here; a bare {@code tcp: {}} can only mean "any TCP port".
            return List.of(new PortMatch.AllPorts(protocol));
        }
        String path = field + ".destinationPort";
        if ((port.getNumber() == null) == (port.getRange() == null)) {
            findings.error(path, "exactly one of number or range must be set");
            return List.of();
        }
        if (port.getNumber() != null) {
            int n = port.getNumber();
            if (n < 1 || n > 65535) {
                findings.error(path + ".number", "port " + n + " out of range 1-65535");
                return List.of();
            }
            return List.of(PortMatch.Range.single(protocol, n));
        }
        Integer start = port.getRange().getStart();
        Integer end = port.getRange().getEnd();
        if (start == null || end == null) {
            findings.error(path + ".range", "start and end are required");
            return List.of();
        }
        if (start < 1 || start > 65535 || end < 1 || end > 65535) {
            findings.error(path + ".range", "ports must be within 1-65535 (got " + start + "-" + end + ")");
            return List.of();
        }
        if (start >= end) {
            findings.error(path + ".range", "start must be less than end (got " + start + "-" + end + ")");
            return List.of();
        }
        return List.of(new PortMatch.Range(protocol, start, end));
    }
}
