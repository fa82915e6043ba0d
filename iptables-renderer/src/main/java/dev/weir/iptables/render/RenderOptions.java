package dev.weir.iptables.render;

/**
 * Knobs of the renderer. The four packet-mark bits weir owns: {@code acceptMark} (a rule of the side being judged
 * allowed the packet), {@code dropMark} (a side denied it), {@code seenMark} (weir judged the packet at all) and
 * {@code passMark} (a ClusterNetworkPolicy Pass rule matched: the rest of its tier is skipped). They must be distinct
 * single bits; {@link #mask()} is their union and is the only part of the packet mark weir ever
 * writes, so other users of the mark (kube-proxy's 0x4000/0x8000, flannel, Calico's upper bits) are left alone.
 */
public record RenderOptions(int acceptMark, int dropMark, int seenMark, int passMark) {

    public static final int DEFAULT_ACCEPT_MARK = 0x100000;
    public static final int DEFAULT_DROP_MARK = 0x200000;
    public static final int DEFAULT_SEEN_MARK = 0x400000;
    public static final int DEFAULT_PASS_MARK = 0x800000;

    private static final RenderOptions DEFAULTS =
            new RenderOptions(DEFAULT_ACCEPT_MARK, DEFAULT_DROP_MARK, DEFAULT_SEEN_MARK, DEFAULT_PASS_MARK);

    public RenderOptions {
        for (int bit : new int[] {acceptMark, dropMark, seenMark, passMark}) {
            if (Integer.bitCount(bit) != 1) {
                throw new IllegalArgumentException("mark 0x" + Integer.toHexString(bit) + " must be a single bit");
            }
        }
        if (Integer.bitCount(acceptMark | dropMark | seenMark | passMark) != 4) {
            throw new IllegalArgumentException("accept, drop, seen and pass marks must be four different bits");
        }
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
