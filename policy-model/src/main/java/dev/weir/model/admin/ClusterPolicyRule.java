package dev.weir.model.admin;

import dev.weir.model.Endpoint;
import dev.weir.model.PortMatch;
import dev.weir.model.Protocol;
import java.util.List;
import java.util.Objects;

/**
 * One ingress or egress rule of a ClusterNetworkPolicy. Unlike NetworkPolicy, {@code peers} is never empty (the API
 * requires at least one {@code from}/{@code to} entry); an empty {@code ports} list means every port of every protocol
 * (the API's omitted {@code protocols}).
 *
 * <p>{@code destinationNamedPort} has no protocol in the API: it means the destination's container port of that name,
 * whatever its protocol. Container port names are unique within a pod, so it is held here as one
 * {@link PortMatch.Named} per protocol (see {@link #namedPortAnyProtocol}), which matches exactly the same packets.
 */
public record ClusterPolicyRule(String name, RuleAction action, List<ClusterPolicyPeer> peers, List<PortMatch> ports) {

    /** Upstream's {@code maxLength} of a rule name. */
    public static final int MAX_NAME_LENGTH = 100;
    /** Upstream's {@code maxItems} of {@code from}/{@code to} and of {@code protocols}. */
    public static final int MAX_PEERS = 25;

    public ClusterPolicyRule {
        name = name == null ? "" : name;
        Objects.requireNonNull(action, "action");
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("rule name is " + name.length() + " characters long, at most "
                    + MAX_NAME_LENGTH + " are allowed");
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("a rule needs at least one peer");
        }
        if (peers.size() > MAX_PEERS) {
            throw new IllegalArgumentException("a rule holds " + peers.size() + " peers, at most " + MAX_PEERS
                    + " are allowed");
        }
        boolean named = ports.stream().anyMatch(p -> p instanceof PortMatch.Named);
        if (named) {
            for (ClusterPolicyPeer p : peers) {
                if (!p.hasNamedPorts()) {
                    throw new IllegalArgumentException("a named port cannot be used with a " + p
                            + " peer, which has no named ports");
                }
            }
        }
    }

    /** The three {@link PortMatch.Named} entries that together mean "the container port called {@code name}". */
    public static List<PortMatch> namedPortAnyProtocol(String name) {
        return List.of(new PortMatch.Named(Protocol.TCP, name), new PortMatch.Named(Protocol.UDP, name),
                new PortMatch.Named(Protocol.SCTP, name));
    }

    /** The rule the API's "fail closed" asks for when a Deny or Pass rule has a peer weir cannot read. */
    public static ClusterPolicyRule denyAll(String name) {
        return new ClusterPolicyRule(name, RuleAction.DENY, List.of(new ClusterPolicyPeer.Anywhere()), List.of());
    }

    /**
     * A rule kept in its place that can match no traffic (see {@link ClusterPolicyPeer.Nowhere}): the API's fail-closed
     * reading of an Accept rule weir cannot enforce, or of a rule whose protocols can match nothing.
     */
    public static ClusterPolicyRule matchingNothing(String name, RuleAction action) {
        return new ClusterPolicyRule(name, action, List.of(new ClusterPolicyPeer.Nowhere()), List.of());
    }

    /** Whether no peer of this rule can match anything (it was kept only for the indexes of the rules after it). */
    public boolean matchesNothing() {
        return peers.stream().allMatch(ClusterPolicyPeer.Nowhere.class::isInstance);
    }

    public boolean allPorts() {
        return ports.isEmpty();
    }

    /**
     * Whether a packet to {@code port}/{@code protocol} matches this rule's ports; {@code destination} resolves named
     * ports and may be null when the destination is not a pod (then named ports do not match).
     */
    public boolean matchesPort(int port, Protocol protocol, Endpoint destination) {
        return ports.isEmpty() || ports.stream().anyMatch(p -> p.matches(port, protocol, destination));
    }

    /** {@code name} or, for an unnamed rule, its position as given. */
    public String label(int index) {
        return name.isEmpty() ? "#" + index : name;
    }
}
