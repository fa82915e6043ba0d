package dev.weir.iptables.render;

/**
 * Knobs of the renderer. The four packet-mark bits weir owns: {@code acceptMark} (a rule of the side being judged
 * allowed the packet), {@code dropMark} (a side denied it), {@code seenMark} (weir judged the packet at all) and
 * {@code passMark} (a ClusterNetworkPolicy Pass rule matched: the rest of its tier is skipped). They must be distinct
 * single bits; {@link #mask()} is their union and is the only part of the packet mark weir ever
 * writes, so other users of the mark (kube-proxy's 0x4000/0x8000, flannel, Calico's upper bits) are left alone.
 * {@code connMark} is the bit of the <em>conntrack</em> mark that says "weir judged this connection's first packet and
 * let it through": {@code WEIR-FORWARD} sets it on a judged, allowed packet of a new connection and accepts the
 * connection's established packets that carry it before any dispatch ({@code docs/dataplane.md}, Chain layout);
 * 0 renders no fast path (the layout of earlier releases). {@code denialLog} says whether and how drops are logged
 * ({@link DenialLog}); every constructor and factory without them takes {@link #DEFAULT_CONN_MARK} and
 * {@link DenialLog#defaults()} (on, group 1047, 100/s, burst 200).
 */
public record RenderOptions(int acceptMark, int dropMark, int seenMark, int passMark, int connMark,
        DenialLog denialLog) {

    public static final int DEFAULT_ACCEPT_MARK = 0x100000;
    public static final int DEFAULT_DROP_MARK = 0x200000;
    public static final int DEFAULT_SEEN_MARK = 0x400000;
    public static final int DEFAULT_PASS_MARK = 0x800000;
    /**
     * Bit 24 of the conntrack mark. Clear of the conntrack-mark bits others are known to use: the AWS VPC CNI and
     * Cilium's ENI mode ({@code 0x80}), Istio's ambient redirection ({@code 0x111/0xfff} in the pod,
     * {@code 0x210}/{@code 0x220} on the node); kube-proxy, flannel and Calico's Felix keep their bits in the packet
     * mark, not the conntrack mark. And clear of weir's own packet-mark bits, so a {@code CONNMARK --save-mark} of
     * the whole packet mark by another program cannot set it on a flow weir never judged.
     */
    public static final int DEFAULT_CONN_MARK = 0x1000000;

    private static final RenderOptions DEFAULTS =
            new RenderOptions(DEFAULT_ACCEPT_MARK, DEFAULT_DROP_MARK, DEFAULT_SEEN_MARK, DEFAULT_PASS_MARK);

    public RenderOptions {
        java.util.Objects.requireNonNull(denialLog, "denialLog");
        if (connMark != 0 && Integer.bitCount(connMark) != 1) {
            throw new IllegalArgumentException("conntrack mark " + hex(connMark) + " must be a single bit, or 0 for no"
                    + " established-flow fast path");
        }
        for (int bit : new int[] {acceptMark, dropMark, seenMark, passMark}) {
            if (Integer.bitCount(bit) != 1) {
                throw new IllegalArgumentException("mark 0x" + Integer.toHexString(bit) + " must be a single bit");
            }
        }
        if (Integer.bitCount(acceptMark | dropMark | seenMark | passMark) != 4) {
            throw new IllegalArgumentException("accept, drop, seen and pass marks must be four different bits");
        }
    }

    /** The given packet-mark bits with the default conntrack-mark bit and denial log. */
    public RenderOptions(int acceptMark, int dropMark, int seenMark, int passMark) {
        this(acceptMark, dropMark, seenMark, passMark, DEFAULT_CONN_MARK, DenialLog.defaults());
    }

    /** The given accept, drop and seen bits with the default pass bit ({@code 0x800000}). */
    public RenderOptions(int acceptMark, int dropMark, int seenMark) {
        this(acceptMark, dropMark, seenMark, DEFAULT_PASS_MARK);
    }

    /**
     * accept {@code 0x100000}, drop {@code 0x200000}, seen {@code 0x400000}, pass {@code 0x800000}: mask
     * {@code 0xf00000}.
     */
    public static RenderOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The four bits taken from a mask, as Felix takes its bits from {@code IptablesMarkMask}: the lowest set bit is
     * accept, then drop, seen and pass. Bits of the mask above the fourth are left unused. {@code 0xf00000} gives the
     * defaults.
     *
     * @throws IllegalArgumentException when the mask has fewer than four bits set
     */
    public static RenderOptions fromMask(int mask) {
        if (Integer.bitCount(mask) < 4) {
            throw new IllegalArgumentException("mark mask " + hex(mask) + " must have at least 4 bits set (weir uses"
                    + " 4: accept, drop, seen, pass), e.g. 0xf00000");
        }
        int[] bits = new int[4];
        int rest = mask;
        for (int i = 0; i < 4; i++) {
            bits[i] = Integer.lowestOneBit(rest);
            rest &= ~bits[i];
        }
        return new RenderOptions(bits[0], bits[1], bits[2], bits[3]);
    }

    /**
     * Reads a mark mask as written in flags and values: hexadecimal with {@code 0x} ({@code 0xf00000}) or decimal.
     *
     * @throws IllegalArgumentException naming the text when it is not a 32-bit number or has fewer than four bits
     */
    public static RenderOptions parseMask(String text) {
        long value = number(text, "mark mask", "0xf00000");
        if (value <= 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException("mark mask \"" + text + "\" must be a 32-bit value above 0");
        }
        return fromMask((int) value);
    }

    /**
     * Reads a conntrack-mark bit as written in flags and values: hexadecimal with {@code 0x} ({@code 0x1000000}) or
     * decimal; {@code 0} for no fast path.
     *
     * @throws IllegalArgumentException naming the text when it is not a 32-bit number with at most one bit set
     */
    public static int parseConnMark(String text) {
        long value = number(text, "conntrack mark", "0x1000000");
        if (value < 0 || value > 0xffffffffL || Long.bitCount(value) > 1) {
            throw new IllegalArgumentException("conntrack mark \"" + text + "\" must be one bit of 32 (like "
                    + "0x1000000), or 0 for no established-flow fast path");
        }
        return (int) value;
    }

    /** A number as flags and values write marks: hexadecimal with {@code 0x}, or decimal; {@code what} names it. */
    private static long number(String text, String what, String example) {
        String t = text.strip();
        try {
            return t.regionMatches(true, 0, "0x", 0, 2) ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + text + "\" is not a number (write it like " + example
                    + ")");
        }
    }

    /** These marks with {@code log} as the denial log's settings. */
    public RenderOptions withDenialLog(DenialLog log) {
        return new RenderOptions(acceptMark, dropMark, seenMark, passMark, connMark, log);
    }

    /** These settings with {@code bit} as the conntrack-mark bit of the fast path (0: none). */
    public RenderOptions withConnMark(int bit) {
        return new RenderOptions(acceptMark, dropMark, seenMark, passMark, bit, denialLog);
    }

    /** Whether established connections weir admitted are accepted at the top of {@code WEIR-FORWARD}. */
    public boolean fastPath() {
        return connMark != 0;
    }

    /** The bits weir owns in the packet mark. */
    public int mask() {
        return acceptMark | dropMark | seenMark | passMark;
    }

    /** The bits a ClusterNetworkPolicy rule sets: a tier is decided once one of them is set. */
    public int tierMask() {
        return acceptMark | dropMark | passMark;
    }

    /** A mark value as iptables-save prints it ({@code 0x100000}). */
    static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
