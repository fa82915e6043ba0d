package dev.weir.agent.report;

import dev.weir.iptables.render.EbtablesScript;
import dev.weir.iptables.render.IpsetScript;
import dev.weir.iptables.render.RestoreScript;
import dev.weir.iptables.render.Ruleset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A stable name of a ruleset's content: the first 16 hex digits (64 bits) of the SHA-256 of the text the applier
 * would write into a node holding nothing of weir's: the ipset restore script, the iptables restore scripts of IPv4
 * and IPv6 and the ebtables script, each after a line naming it. Equal rulesets hash equally on every node and in
 * every run; the renderer's output is deterministic (sorted), so this is a function of the graph, the node and the
 * settings. Pure.
 */
public final class RulesetHash {

    private static final int HEX_DIGITS = 16;

    private RulesetHash() {
    }

    public static String of(Ruleset ruleset) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        part(sha, "ipset", IpsetScript.install(ruleset.sets()));
        part(sha, "iptables", RestoreScript.install(ruleset.v4()));
        part(sha, "ip6tables", RestoreScript.install(ruleset.v6()));
        part(sha, "ebtables", EbtablesScript.install(ruleset.bridge()));
        return HexFormat.of().formatHex(sha.digest()).substring(0, HEX_DIGITS);
    }

    private static void part(MessageDigest sha, String name, String text) {
        sha.update(("# " + name + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(text.getBytes(StandardCharsets.UTF_8));
    }
}
