package dev.weir.iptables.apply;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What weir owns: chains named {@code WEIR-*} and sets named {@code weir-*}; nothing else is ever changed. */
final class Names {

    static final String CHAIN_PREFIX = "WEIR-";
    static final String SET_PREFIX = "weir-";
    static final String TEMP_SET_PREFIX = "weir-tmp-";

    private Names() {
    }

    static boolean isWeirChain(String chain) {
        return chain.startsWith(CHAIN_PREFIX);
    }

    static boolean isWeirSet(String set) {
        return set.startsWith(SET_PREFIX);
    }

    /** The scratch set a changed set is refilled in before the swap (17 characters, well under the 31 limit). */
    static String tempSet(String set) {
        return TEMP_SET_PREFIX + hash8(set);
    }

    /** First 8 hex digits of SHA-256: the form of weir's rule-comment hashes. */
    static String hash8(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
