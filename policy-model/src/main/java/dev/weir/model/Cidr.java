package dev.weir.model;

import java.util.Objects;

/**
 * A network in CIDR notation, normalized at construction: host bits are cleared, so {@code 10.0.0.1/8} and
 * {@code 10.0.0.0/8} are the same value. A bare address parses as a host route (/32 or /128).
 */
public record Cidr(IpAddress network, int prefix) implements Comparable<Cidr> {

    public Cidr {
        Objects.requireNonNull(network, "network");
        if (prefix < 0 || prefix > network.family().bits()) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of range for " + network.family());
        }
        network = network.masked(prefix);
    }

    /** Parses {@code a.b.c.d/n} or {@code v6/n}; the API's ipBlock.cidr is always written with a prefix length. */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        int slash = s.indexOf('/');
        try {
            if (slash < 0) {
                IpAddress a = IpAddress.parse(s);
                return new Cidr(a, a.family().bits());
            }
            String len = s.substring(slash + 1);
            if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad prefix length");
            }
            return new Cidr(IpAddress.parse(s.substring(0, slash)), Integer.parseInt(len));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\"");
        }
    }

    /** A host route for one address. */
    public static Cidr host(IpAddress address) {
        return new Cidr(address, address.family().bits());
    }

    public IpFamily family() {
        return network.family();
    }

    public boolean contains(IpAddress address) {
        return address.family() == family() && address.masked(prefix).equals(network);
    }

    /** True when {@code other} lies entirely inside this network (equal networks contain each other). */
    public boolean contains(Cidr other) {
        return other.family() == family() && other.prefix >= prefix && contains(other.network);
    }

    /** The two halves of this network; used to split {@code /0}, which ipset's hash:net cannot hold. */
    public Cidr[] halves() {
        if (prefix == family().bits()) {
            throw new IllegalStateException("a host route has no halves: " + this);
        }
        Cidr low = new Cidr(network, prefix + 1);
        IpAddress highStart = family() == IpFamily.V4
                ? new IpAddress(IpFamily.V4, 0, network.lo() | (1L << (31 - prefix)))
                : prefix < 64
                        ? new IpAddress(IpFamily.V6, network.hi() | (1L << (63 - prefix)), network.lo())
                        : new IpAddress(IpFamily.V6, network.hi(), network.lo() | (1L << (127 - prefix)));
        return new Cidr[] {low, new Cidr(highStart, prefix + 1)};
    }

    @Override
    public int compareTo(Cidr o) {
        int c = network.compareTo(o.network);
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
