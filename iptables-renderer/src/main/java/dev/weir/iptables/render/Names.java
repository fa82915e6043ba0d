package dev.weir.iptables.render;

import dev.weir.graph.Decision;
import dev.weir.graph.Ids;
import dev.weir.model.Cidr;
import dev.weir.model.IpFamily;
import dev.weir.model.ObjectKey;
import dev.weir.model.PolicyType;
import java.util.List;

/**
 * Every name weir gives a chain or a set, and so what weir owns: chains named {@code WEIR-*} and sets named
 * {@code weir-*}; nothing else is ever changed. Fixed roles get readable names; everything derived from cluster content
 * gets a content hash ({@link Ids#hex}), so names are stable across restarts and equal on every node that needs the
 * same thing. Set names are 24 characters, well under ipset's 31.
 */
public final class Names {

    /** Prefix of every weir chain. */
    public static final String CHAIN_PREFIX = "WEIR-";
    /** Prefix of every weir ipset. */
    public static final String SET_PREFIX = "weir-";
    /** Prefix of the scratch set a changed set is refilled in before the swap. */
    public static final String TEMP_SET_PREFIX = "weir-tmp-";

    public static final String FORWARD = "WEIR-FORWARD";
    public static final String INPUT = "WEIR-INPUT";
    public static final String OUTPUT = "WEIR-OUTPUT";
    /** Dispatch of packets leaving local selected pods ({@code -s pod ip}). */
    public static final String EGRESS = "WEIR-EGRESS";
    /** Dispatch of packets entering local selected pods ({@code -d pod ip}). */
    public static final String INGRESS = "WEIR-INGRESS";
    /**
     * Anti-spoofing: a local pod's packets must carry its own address on its own interface; with fail-closed, also
     * drops packets of local pod addresses not programmed yet.
     */
    public static final String FROM_POD = "WEIR-FROM-POD";
    /** Fail-closed only: drops forwarded packets to local pod addresses not programmed yet. */
    public static final String TO_POD = "WEIR-TO-POD";
    /**
     * The ebtables chain (nat table) hooked into the bridge's PREROUTING: one jump per bridge port of a local pod
     * ({@code -i PORT}) into that port's {@link #bridgePortChain}.
     */
    public static final String BRIDGE = "WEIR-L2";
    /**
     * What every NFLOG prefix weir writes starts with: {@code weir:<8 hex>}, the hex naming a {@link Decision}
     * ({@link #decisionId}). No blank, so nothing in a rule needs quoting.
     */
    public static final String NFLOG_PREFIX = "weir:";

    private Names() {
    }

    /** {@code WEIR-PI-<12 hex>} / {@code WEIR-PE-<12 hex>}: one policy's rules for one direction, keyed by policy key. */
    public static String policyChain(PolicyType direction, String policyKey) {
        return CHAIN_PREFIX + "P" + letter(direction) + "-" + Ids.hex(policyKey).substring(0, 12);
    }

    /**
     * {@code WEIR-CI-<12 hex>} / {@code WEIR-CE-<12 hex>}: one ClusterNetworkPolicy's rules for one direction, keyed
     * by policy name.
     */
    public static String clusterPolicyChain(PolicyType direction, String policyName) {
        return CHAIN_PREFIX + "C" + letter(direction) + "-" + Ids.hex("ClusterNetworkPolicy/" + policyName)
                .substring(0, 12);
    }

    /**
     * {@code WEIR-EI-<12 hex>} / {@code WEIR-EE-<12 hex>}: the chain shared by every local endpoint isolated by exactly
     * this ordered policy list in this direction.
     */
    public static String endpointChain(PolicyType direction, List<String> policyKeys) {
        return CHAIN_PREFIX + "E" + letter(direction) + "-" + Ids.hex(String.join("\n", policyKeys)).substring(0, 12);
    }

    /**
     * {@code WEIR-DI-<12 hex>} / {@code WEIR-DE-<12 hex>}: a branch of the ingress or egress dispatch tree, holding the
     * dispatch of the local pods whose address lies in {@code cidr} ({@link DispatchTree}).
     */
    public static String dispatchChain(PolicyType direction, Cidr cidr) {
        return CHAIN_PREFIX + "D" + letter(direction) + "-" + Ids.hex(cidr.toString()).substring(0, 12);
    }

    /**
     * {@code WEIR-FP-<12 hex>}: a branch of the anti-spoofing tree, holding the checks of the local pods whose
     * interface name starts with {@code prefix}, routed ({@code -i}) or bridge ports ({@code --physdev-in}).
     */
    public static String fromPodChain(PodInterface.Attachment attachment, String prefix) {
        return CHAIN_PREFIX + "FP-" + Ids.hex(attachment + "|" + prefix).substring(0, 12);
    }

    /**
     * {@code WEIR-L2-<12 hex>}: the layer-2 checks of the frames a local pod sends into the bridge, keyed by the pod
     * (20 characters; ebtables allows 31).
     */
    public static String bridgePortChain(ObjectKey pod) {
        return BRIDGE + "-" + Ids.hex("Pod/" + pod.namespacedName()).substring(0, 12);
    }

    /** {@code weir-g4-<16 hex>}: the addresses of a pod group's members in one family. */
    public static String groupSet(IpFamily family, String groupId) {
        return set("g", family, groupId.substring(1));
    }

    /** {@code weir-b4-<16 hex>}: an ipBlock, as hash:net with its excepts as nomatch members. */
    public static String blockSet(IpFamily family, String blockSetId) {
        return set("b", family, blockSetId.substring(1));
    }

    /**
     * {@code weir-h4-<16 hex>}: the addresses of the nodes a ClusterNetworkPolicy {@code nodes} peer selects, in one
     * family (hash:ip, like a pod group).
     */
    public static String nodeSet(IpFamily family, String nodeGroupId) {
        return set("h", family, nodeGroupId.substring(1));
    }

    /** {@code weir-n4-<16 hex>}: {@code ip,proto:port} pairs a named port resolves to, keyed by what they mean. */
    public static String namedPortSet(IpFamily family, String meaning) {
        return set("n", family, Ids.hex(meaning).substring(0, 16));
    }

    /**
     * {@code weir-u4-<16 hex>}: a list:set, the union of the sets named {@code members} (in that order), keyed by
     * them: a different union is a different set, so a union is never refilled. {@code u} sorts after every other
     * kind of set, so creating sets in name order creates a union after its members.
     */
    public static String unionSet(IpFamily family, List<String> members) {
        return set("u", family, Ids.hex(String.join("\n", members)).substring(0, 16));
    }

    /** Whether {@code set} is a union ({@link #unionSet}): destroyed before any set it may hold. */
    public static boolean isUnionSet(String set) {
        return set.startsWith(SET_PREFIX + "u");
    }

    /** The 8-hex content hash carried in a rule's comment: SHA-256 of the rule spec. */
    public static String ruleHash(String spec) {
        return Ids.hex(spec).substring(0, 8);
    }

    /**
     * {@code weir-q4-<16 hex>}: the local pods whose denials are logged other than the node's default says: those of
     * namespaces annotated {@code weir.dev/log-denials: "false"} when {@code loggedByDefault}, of namespaces annotated
     * {@code "true"} when not. The two meanings have two names, so switching the default never reuses a set.
     */
    public static String denialLogSet(IpFamily family, boolean loggedByDefault) {
        return set("q", family, Ids.hex("denial-log|" + (loggedByDefault ? "unlogged" : "logged")).substring(0, 16));
    }

    /**
     * {@code weir-<rate>-<burst>} (at most 15 characters, hashlimit's limit): the token bucket every NFLOG rule of a
     * node shares (per family: each family has its own hashlimit tables). The settings are in the name because the
     * kernel keeps a table's settings for as long as any rule uses its name: rules rewritten with a new rate under
     * the old name would go on with the old one, as long as one old rule remains anywhere.
     */
    public static String hashlimitName(DenialLog log) {
        return "weir-" + log.ratePerSecond() + "-" + log.burst();
    }

    /**
     * The 8 hex that stand for {@code decision} in an NFLOG prefix: the first 8 of SHA-256 over its
     * {@link #decisionText canonical text}, so equal decisions get equal ids on every node and across restarts.
     * {@code attempt} above 0 salts the text, for the rare id two decisions of one node share.
     */
    static String decisionId(Decision decision, int attempt) {
        String text = decisionText(decision);
        return Ids.hex(attempt == 0 ? text : text + "\n#" + attempt).substring(0, 8);
    }

    /**
     * A decision as text, one field a line, in {@code DecisionJson}'s words: direction, outcome, cause, tier (empty
     * for none), each object as {@code Kind/namespace/name}, and the rule as {@code index/name} (empty for none).
     */
    static String decisionText(Decision d) {
        StringBuilder sb = new StringBuilder();
        sb.append("direction=").append(d.direction() == PolicyType.INGRESS ? "ingress" : "egress")
                .append("\noutcome=").append(d.outcome().lower())
                .append("\ncause=").append(d.cause().word())
                .append("\ntier=").append(d.tier().map(t -> t.word()).orElse(""));
        d.objects().forEach(o -> sb.append("\nobject=").append(o.kind().apiKind()).append('/')
                .append(o.namespace() == null ? "" : o.namespace()).append('/').append(o.name()));
        sb.append("\nrule=").append(d.rule().map(r -> r.index() + "/" + r.name()).orElse(""));
        return sb.toString();
    }

    public static boolean isWeirChain(String chain) {
        return chain.startsWith(CHAIN_PREFIX);
    }

    public static boolean isWeirSet(String set) {
        return set.startsWith(SET_PREFIX);
    }

    /** {@code weir-tmp-<8 hex>}: the scratch set a changed set is refilled in before the swap (17 characters). */
    public static String tempSet(String set) {
        return TEMP_SET_PREFIX + Ids.hex(set).substring(0, 8);
    }

    static String familyDigit(IpFamily family) {
        return family == IpFamily.V4 ? "4" : "6";
    }

    private static String set(String kind, IpFamily family, String hex) {
        return SET_PREFIX + kind + familyDigit(family) + "-" + hex;
    }

    private static String letter(PolicyType direction) {
        return direction == PolicyType.INGRESS ? "I" : "E";
    }
}
