package dev.weir.graph;

import dev.weir.model.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The answer to "may this packet pass, and why": the overall decision and the decision of each side (the source's
 * egress, the destination's ingress). Both sides must allow.
 */
public record Verdict(boolean allowed, Side egress, Side ingress, String shortcut) {

    public Verdict {
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(ingress, "ingress");
    }

    /**
     * A verdict decided before policy is consulted (a pod to itself, the node to its own pod): both sides allow,
     * {@link Decision.Cause#EXEMPT}.
     */
    public static Verdict always(String why) {
        return new Verdict(true, Side.exempt(PolicyType.EGRESS, why), Side.exempt(PolicyType.INGRESS, why), why);
    }

    public static Verdict of(Side egress, Side ingress) {
        return new Verdict(egress.allowed() && ingress.allowed(), egress, ingress, null);
    }

    /** One decision per side, in the order a packet meets them: egress, then ingress. */
    public List<Decision> decisions() {
        return List.of(egress.decision(), ingress.decision());
    }

    /** One line per side, in the order a packet meets them. */
    public List<String> reasons() {
        List<String> out = new ArrayList<>();
        if (shortcut != null) {
            out.add(shortcut);
            return out;
        }
        out.add(egress.explanation());
        out.add(ingress.explanation());
        return out;
    }

    /**
     * One direction's decision. {@code isolatingPolicies} are the NetworkPolicies selecting the pod for this
     * direction; {@code allowingRules} name each rule that matched, as {@code ns/policy ingress[0]}.
     * {@code passedBy} names the Admin rule that passed the packet on (null when none), {@code decidedBy} the
     * ClusterNetworkPolicy rule or default that decided it, as a sentence (null when NetworkPolicy decided or no
     * cluster policy applies). {@code decision} is the same as data ({@link Decision}); {@code allowed} is its
     * {@link Decision#allows()}.
     */
    public record Side(String direction, String subject, boolean allowed, List<String> isolatingPolicies,
            List<String> allowingRules, String note, String passedBy, String decidedBy, Decision decision) {

        public Side {
            isolatingPolicies = List.copyOf(isolatingPolicies);
            allowingRules = List.copyOf(allowingRules);
            Objects.requireNonNull(decision, "decision");
            if (!direction.equals(word(decision.direction())) || allowed != decision.allows()) {
                throw new IllegalArgumentException("a " + direction + " side that is " + (allowed ? "" : "not ")
                        + "allowed cannot carry " + decision);
            }
        }

        /** A side no policy applies to, with a note saying why: allowed, not isolated. */
        static Side unjudged(PolicyType type, String subject, String note) {
            return new Side(word(type), subject, true, List.of(), List.of(), note, null, null,
                    Decision.notIsolated(type));
        }

        static Side exempt(PolicyType type, String why) {
            return new Side(word(type), why, true, List.of(), List.of(), null, null, null, Decision.exempt(type));
        }

        /** How a side names its direction: {@code ingress} or {@code egress}. */
        public static String word(PolicyType type) {
            return type.apiName().toLowerCase(Locale.ROOT);
        }

        public boolean isolated() {
            return !isolatingPolicies.isEmpty();
        }

        public String explanation() {
            if (note != null) {
                return direction + ": " + note;
            }
            String passed = passedBy == null ? "" : "passed by " + passedBy + "; ";
            if (decidedBy != null) {
                return direction + ": " + passed + decidedBy;
            }
            if (!passed.isEmpty()) {
                return direction + ": " + passed + networkPolicyExplanation();
            }
            if (!isolated()) {
                return direction + ": " + subject + " is not selected by any policy with " + direction
                        + " rules: allowed";
            }
            if (allowed) {
                return direction + ": allowed by " + String.join(", ", allowingRules);
            }
            return direction + ": " + subject + " is isolated by " + String.join(", ", isolatingPolicies)
                    + " and no rule allows it: denied";
        }

        private String networkPolicyExplanation() {
            if (allowed) {
                return "allowed by " + String.join(", ", allowingRules);
            }
            return subject + " is isolated by " + String.join(", ", isolatingPolicies) + " and no rule allows it: denied";
        }
    }
}
