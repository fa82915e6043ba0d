package dev.weir.graph;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Content-derived identifiers: the same content always gets the same id, across restarts and nodes. */
public final class Ids {

    /** A digest per thread: getInstance costs more than hashing a selector's text. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    });

    private Ids() {
    }

    /** {@code prefix} + the first 16 hex digits of SHA-256 over {@code content}. */
    public static String hash(String prefix, String content) {
        return prefix + hex(content).substring(0, 16);
    }

    /** Full lower-case hex SHA-256 of {@code content}. */
    public static String hex(String content) {
        byte[] d = SHA256.get().digest(content.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(d.length * 2);
        for (byte b : d) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
