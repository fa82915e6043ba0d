package dev.weir.model;

import java.util.Locale;

/** The L4 protocols a NetworkPolicy port may name. The API defaults an omitted protocol to TCP. */
public enum Protocol {
    TCP, UDP, SCTP;

    /** Parses the API spelling ({@code TCP}, {@code UDP}, {@code SCTP}); case-insensitive for CLI use. */
    public static Protocol parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported protocol \"" + text + "\" (want TCP, UDP or SCTP)");
        }
    }

    /** Lower-case name as iptables and ipset spell it. */
    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
