package dev.weir.iptables.render;

import java.util.Objects;

/**
 * One rule of a weir chain: the match-and-target text as it follows {@code -A CHAIN} in {@code iptables-restore}
 * input (without the comment), and the comment weir attaches (owning policy and a content hash, for drift checks).
 * The comment is written just before the target ({@code -j}/{@code -g}), which is where {@code iptables-save} prints
 * it back, so a rendered rule and its saved form are the same text.
 */
public record IptablesRule(String spec, String comment) {

    /** The kernel keeps at most 255 characters of a comment; an owner is cut well before that. */
    static final int MAX_OWNER_LENGTH = 200;

    public IptablesRule {
        Objects.requireNonNull(spec, "spec");
    }

    /** A rule whose comment is {@code "<owner> <8-hex hash of spec>"}; owner is a policy key or a role word. */
    public static IptablesRule of(String owner, String spec) {
        String o = owner.length() > MAX_OWNER_LENGTH ? owner.substring(0, MAX_OWNER_LENGTH) : owner;
        if (o.isEmpty() || o.contains(" ") || o.contains("\"")) {
            throw new IllegalArgumentException("rule owner \"" + owner + "\" must be one word without quotes");
        }
        return new IptablesRule(spec, o + " " + Names.ruleHash(spec));
    }

    /** The hash part of a weir comment, or null when the comment is not of weir's form. */
    public String hash() {
        if (comment == null) {
            return null;
        }
        int space = comment.lastIndexOf(' ');
        String h = space < 0 ? "" : comment.substring(space + 1);
        return h.length() == 8 && h.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? h : null;
    }

    /** True when the comment's hash is the hash of this spec: the rule is as weir wrote it. */
    public boolean hashMatchesSpec() {
        return Names.ruleHash(spec).equals(hash());
    }
}
