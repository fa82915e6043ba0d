package dev.weir.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** One entry of a rule's {@code ports}. An empty ports list means every port of every protocol. */
public sealed interface PortMatch {

    Protocol protocol();

    /** Whether a packet to {@code port}/{@code protocol} at {@code destination} matches. */
    boolean matches(int port, Protocol protocol, Endpoint destination);

    /** {@code protocol} given, {@code port} omitted: every port of that protocol. */
    record AllPorts(Protocol protocol) implements PortMatch {
        public AllPorts {
            Objects.requireNonNull(protocol, "protocol");
        }

        @Override
        public boolean matches(int port, Protocol p, Endpoint destination) {
            return p == protocol;
        }

        @Override
        public String toString() {
            return "all/" + protocol;
        }
    }

    /** A numeric port, or a range {@code port..endPort} inclusive. */
    record Range(Protocol protocol, int first, int last) implements PortMatch {
        public Range {
            Objects.requireNonNull(protocol, "protocol");
            if (first < 1 || first > 65535) {
                throw new IllegalArgumentException("port " + first + " out of range 1-65535");
            }
            if (last < first || last > 65535) {
                throw new IllegalArgumentException(
                        "endPort " + last + " must be between port " + first + " and 65535");
            }
        }

        public static Range single(Protocol protocol, int port) {
            return new Range(protocol, port, port);
        }

        @Override
        public boolean matches(int port, Protocol p, Endpoint destination) {
            return p == protocol && port >= first && port <= last;
        }

        @Override
        public String toString() {
            return (first == last ? String.valueOf(first) : first + "-" + last) + "/" + protocol;
        }
    }

    /**
     * A named port: it means whatever number the destination pod's container port of that name and protocol has,
     * so two pods may resolve it differently, and a pod without it does not match.
     */
    record Named(Protocol protocol, String name) implements PortMatch {
        /** IANA_SVC_NAME as the API validates it: at most 15 of [a-z0-9-], a letter, no edge or double hyphens. */
        private static final Pattern IANA_SVC_NAME = Pattern.compile("^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$");

        public Named {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(name, "name");
            if (name.length() > 15) {
                throw new IllegalArgumentException("port name \"" + name + "\" is longer than 15 characters");
            }
            if (!IANA_SVC_NAME.matcher(name).matches() || name.contains("--")) {
                throw new IllegalArgumentException("port name \"" + name
                        + "\" is not a valid IANA service name (lower-case letters, digits and single hyphens)");
            }
        }

        @Override
        public boolean matches(int port, Protocol p, Endpoint destination) {
            return p == protocol && destination != null
                    && destination.resolvePort(name, protocol).map(n -> n == port).orElse(false);
        }

        @Override
        public String toString() {
            return name + "/" + protocol;
        }
    }
}
