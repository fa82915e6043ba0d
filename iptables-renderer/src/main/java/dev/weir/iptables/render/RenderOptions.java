package dev.weir.iptables.render;

/**
 * Knobs of the renderer. The three packet-mark bits weir owns: {@code acceptMark} (a rule of the side being judged
 * allowed the packet), {@code dropMark} (a side denied it) and {@code seenMark} (weir judged the packet at all). They
 * must be distinct single bits; {@link #mask()} is their union and is the only part of the packet mark weir ever
 * writes, so other users of the mark (kube-proxy's 0x4000/0x8000, flannel, Calico's upper bits) are left alone.
 */
public record RenderOptions(int acceptMark, int dropMark, int seenMark) {

    public static final int DEFAULT_ACCEPT_MARK = 0x100000;
    public static final int DEFAULT_DROP_MARK = 0x200000;
    public static final int DEFAULT_SEEN_MARK = 0x400000;

    private static final RenderOptions DEFAULTS =
            new RenderOptions(DEFAULT_ACCEPT_MARK, DEFAULT_DROP_MARK, DEFAULT_SEEN_MARK);

    public RenderOptions {
        for (int bit : new int[] {acceptMark, dropMark, seenMark}) {
            if (Integer.bitCount(bit) != 1) {
                throw new IllegalArgumentException("mark 0x" + Integer.toHexString(bit) + " must be a single bit");
            }
        }
        if (Integer.bitCount(acceptMark | dropMark | seenMark) != 3) {
            throw new IllegalArgumentException("accept, drop and seen marks must be three different bits");
        }
    }

    /** accept {@code 0x100000}, drop {@code 0x200000}, seen {@code 0x400000}: mask {@code 0x700000}. */
    public static RenderOptions defaults() {
        return DEFAULTS;
    }

    /** The bits weir owns in the packet mark. */
    public int mask() {
        return acceptMark | dropMark | seenMark;
    }

    /** A mark value as iptables-save prints it ({@code 0x100000}). */
    static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
