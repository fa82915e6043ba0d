package dev.weir.iptables.render;

import java.util.Objects;

/**
 * One rule of a weir chain, as a value: its {@code matches} (iptables match clauses such as
 * {@code -s 10.0.0.1/32 -m set --match-set weir-g4-… src}, blank for none), its {@code target} with the target's
 * options ({@code RETURN}, {@code MARK --set-xmark 0x1/0x1}, a chain name; blank only for a rule read back without a
 * jump) and its {@code comment} (owning policy and a content hash, for drift checks; blank for none).
 * {@link RestoreScript} is the one place that writes a rule out: the comment goes just before the jump, where
 * {@code iptables-save} prints it back, so a rendered rule and its saved form are the same text.
 */
public record IptablesRule(String matches, String target, String comment) {

    /** The kernel keeps at most 255 characters of a comment; an owner is cut well before that. */
    static final int MAX_OWNER_LENGTH = 200;

    public IptablesRule {
        Objects.requireNonNull(matches, "matches");
        Objects.requireNonNull(target, "target");
        comment = Objects.requireNonNull(comment, "comment");
    }

    /** A rule whose comment is {@code "<owner> <8-hex hash of spec>"}; owner is a policy key or a role word. */
    public static IptablesRule of(String owner, String matches, String target) {
        String o = owner.length() > MAX_OWNER_LENGTH ? owner.substring(0, MAX_OWNER_LENGTH) : owner;
        if (o.isEmpty() || o.contains(" ") || o.contains("\"")) {
            throw new IllegalArgumentException("rule owner \"" + owner + "\" must be one word without quotes");
        }
        IptablesRule bare = new IptablesRule(matches, target, "");
        return new IptablesRule(matches, target, o + " " + Names.ruleHash(bare.spec()));
    }

    /** Matches and jump without the comment, {@code -p udp -j RETURN}: the text the comment's hash covers. */
    public String spec() {
        if (target.isEmpty()) {
            return matches;
        }
        return matches.isEmpty() ? "-j " + target : matches + " -j " + target;
    }

    /** The hash part of a weir comment, or null when the comment is not of weir's form. */
    public String hash() {
        int space = comment.lastIndexOf(' ');
        String h = space < 0 ? "" : comment.substring(space + 1);
        return h.length() == 8 && h.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? h : null;
    }

    /** True when the comment's hash is the hash of this spec: the rule is as weir wrote it. */
    public boolean hashMatchesSpec() {
        return Names.ruleHash(spec()).equals(hash());
    }
}
