package dev.weir.iptables.apply;

import java.util.ArrayList;
import java.util.List;

/** Splitting and quoting of iptables rule text the way {@code iptables-save} writes and {@code -restore} reads it. */
final class Tokens {

    private Tokens() {
    }

    /** Splits on blanks; double quotes group, a backslash escapes the next character inside quotes. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inQuotes && c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (c == '"') {
                inQuotes = !inQuotes;
                any = true;
            } else if (!inQuotes && Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** A comment argument, always quoted (restore accepts {@code \"} and {@code \\} inside quotes). */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The value after {@code flag} in {@code tokens}, or null. */
    static String valueOf(List<String> tokens, String flag) {
        int i = tokens.indexOf(flag);
        return i >= 0 && i + 1 < tokens.size() ? tokens.get(i + 1) : null;
    }

    /** The jump ({@code -j}) or goto ({@code -g}) target of a rule, or null. */
    static String target(List<String> tokens) {
        String j = valueOf(tokens, "-j");
        return j != null ? j : valueOf(tokens, "-g");
    }
}
