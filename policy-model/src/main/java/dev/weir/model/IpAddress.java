package dev.weir.model;

import java.util.Objects;

/**
 * An IPv4 or IPv6 address as two 64-bit halves (an IPv4 address lives in the low 32 bits of {@code lo}).
 * Parsed strictly from literals, never resolved: the model does no I/O. Ordered v4 before v6, then numerically.
 */
public record IpAddress(IpFamily family, long hi, long lo) implements Comparable<IpAddress> {

    public IpAddress {
        Objects.requireNonNull(family, "family");
        if (family == IpFamily.V4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address wider than 32 bits");
        }
    }

    /** Parses a dotted-quad IPv4 or an RFC 4291 IPv6 literal (with {@code ::} and an embedded dotted quad). */
    public static IpAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        if (s.indexOf(':') >= 0) {
            return parseV6(s, text);
        }
        return new IpAddress(IpFamily.V4, 0, parseV4(s, text));
    }

    /** True when {@code text} parses as an address. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long parseV4(String s, String original) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw invalid(original);
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                throw invalid(original); // leading zeros are ambiguous (octal in some parsers); the API rejects them
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw invalid(original);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static IpAddress parseV6(String s, String original) {
        int[] groups = new int[8];
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            throw invalid(original);
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int[] headGroups = parseGroups(head, original, doubleColon < 0 || tail.isEmpty());
        int[] tailGroups = doubleColon >= 0 ? parseGroups(tail, original, true) : new int[0];
        if (doubleColon < 0 && headGroups.length != 8) {
            throw invalid(original);
        }
        if (doubleColon >= 0 && headGroups.length + tailGroups.length > 7) {
            throw invalid(original);
        }
        System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }
        return new IpAddress(IpFamily.V6, hi, lo);
    }

    /** Parses colon-separated hex groups; the last may be a dotted quad (two groups) when {@code last} is set. */
    private static int[] parseGroups(String part, String original, boolean last) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] texts = part.split(":", -1);
        int count = texts.length;
        boolean embeddedV4 = last && texts[count - 1].indexOf('.') >= 0;
        int[] out = new int[count + (embeddedV4 ? 1 : 0)];
        for (int i = 0; i < count; i++) {
            String g = texts[i];
            if (embeddedV4 && i == count - 1) {
                long v4 = parseV4(g, original);
                out[i] = (int) (v4 >>> 16);
                out[i + 1] = (int) (v4 & 0xffff);
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                throw invalid(original);
            }
            try {
                out[i] = Integer.parseInt(g, 16);
            } catch (NumberFormatException e) {
                throw invalid(original);
            }
        }
        return out;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid IP address \"" + text + "\"");
    }

    /** Bit {@code i} counted from the most significant bit of the address (0-based). */
    boolean bit(int i) {
        if (family == IpFamily.V4) {
            return ((lo >>> (31 - i)) & 1) == 1;
        }
        return i < 64 ? ((hi >>> (63 - i)) & 1) == 1 : ((lo >>> (127 - i)) & 1) == 1;
    }

    /** This address with every bit after the first {@code prefix} cleared. */
    public IpAddress masked(int prefix) {
        if (prefix < 0 || prefix > family.bits()) {
            throw new IllegalArgumentException("prefix " + prefix + " out of range for " + family);
        }
        if (family == IpFamily.V4) {
            long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
            return new IpAddress(family, 0, lo & mask);
        }
        long hiMask = prefix >= 64 ? -1L : (prefix == 0 ? 0 : -1L << (64 - prefix));
        long loMask = prefix <= 64 ? 0 : (prefix == 128 ? -1L : -1L << (128 - prefix));
        return new IpAddress(family, hi & hiMask, lo & loMask);
    }

    /** The address {@code offset} places after this one (wraps within the family; for tests and address plans). */
    public IpAddress plus(long offset) {
        if (family == IpFamily.V4) {
            return new IpAddress(family, 0, (lo + offset) & 0xffffffffL);
        }
        long newLo = lo + offset;
        long carry = Long.compareUnsigned(newLo, lo) < 0 && offset > 0 ? 1 : 0;
        return new IpAddress(family, hi + carry, newLo);
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower-case, longest zero run compressed). */
    @Override
    public String toString() {
        if (family == IpFamily.V4) {
            return (lo >>> 24) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
