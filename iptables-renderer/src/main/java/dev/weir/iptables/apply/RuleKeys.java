package dev.weir.iptables.apply;

import dev.weir.iptables.render.Chain;
import dev.weir.iptables.render.IptablesRule;
import dev.weir.iptables.render.RestoreText;
import java.util.List;

/**
 * How the applier recognises a rule in {@code iptables-save} output without re-parsing its matches (which iptables
 * normalises: {@code -s 10.0.0.1} comes back as {@code -s 10.0.0.1/32 ... -m tcp}): by its comment. The renderer puts
 * {@code "<owner> <8-hex hash of the rule>"} on every rule; a rule that arrives without a comment gets
 * {@code "weir <hash of its spec>"} here, so a chain's identity is always the ordered list of its rules' comments.
 */
final class RuleKeys {

    private RuleKeys() {
    }

    /** The comment the rule is installed with. */
    static String key(IptablesRule rule) {
        return rule.comment() != null && !rule.comment().isBlank()
                ? rule.comment()
                : "weir " + Names.hash8(rule.spec());
    }

    static List<String> keys(Chain chain) {
        return chain.rules().stream().map(RuleKeys::key).toList();
    }

    /**
     * The rule as {@code iptables-restore} takes it after {@code -A CHAIN}: the comment match goes before the jump, as
     * iptables wants matches ahead of the target and its options. Plain comments use the renderer's text form; only a
     * comment that needs escaping takes the slower tokenising path.
     */
    static String withComment(IptablesRule rule) {
        String key = key(rule);
        if (key.indexOf('"') < 0 && key.indexOf('\\') < 0) {
            return RestoreText.withComment(new IptablesRule(rule.spec().strip(), key));
        }
        String comment = "-m comment --comment " + Tokens.quote(key);
        String spec = rule.spec().strip();
        List<String> tokens = Tokens.split(spec);
        int jump = Math.max(tokens.indexOf("-j"), tokens.indexOf("-g"));
        if (jump < 0) {
            return spec.isEmpty() ? comment : spec + " " + comment;
        }
        int at = indexOfToken(spec, tokens.get(jump));
        return (spec.substring(0, at) + comment + " " + spec.substring(at)).strip();
    }

    /** Position of the last blank-delimited occurrence of {@code token} in {@code spec}. */
    private static int indexOfToken(String spec, String token) {
        int at = spec.lastIndexOf(" " + token + " ");
        if (at >= 0) {
            return at + 1;
        }
        return spec.startsWith(token + " ") ? 0 : spec.lastIndexOf(" " + token) + 1;
    }
}
