package dev.weir.explain;

import dev.weir.model.Protocol;
import java.util.Objects;

/** One destination port and protocol a truth table is about, written {@code 80/TCP}. Ordered by port, then protocol. */
public record PortProtocol(int port, Protocol protocol) implements Comparable<PortProtocol> {

    public PortProtocol {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
    }

    public static PortProtocol tcp(int port) {
        return new PortProtocol(port, Protocol.TCP);
    }

    /** Parses {@code 80/TCP} (protocol case-insensitive; TCP when omitted). */
    public static PortProtocol parse(String text) {
        int slash = text.indexOf('/');
        String port = slash < 0 ? text : text.substring(0, slash);
        Protocol protocol = slash < 0 ? Protocol.TCP : Protocol.parse(text.substring(slash + 1));
        try {
            return new PortProtocol(Integer.parseInt(port.trim()), protocol);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: \"" + port + "\"");
        }
    }

    @Override
    public int compareTo(PortProtocol o) {
        int c = Integer.compare(port, o.port);
        return c != 0 ? c : protocol.compareTo(o.protocol);
    }

    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
