package dev.weir.model;

/** IPv4 or IPv6; iptables and ipsets are per family, so every address and CIDR carries one. */
public enum IpFamily {
    V4(32), V6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    /** Address width in bits. */
    public int bits() {
        return bits;
    }
}
