package dev.weir.graph;

import java.util.ArrayList;
import java.util.List;
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

    /** A verdict decided before policy is consulted (a pod to itself, the node to its own pod). */
    public static Verdict always(String why) {
        return new Verdict(true, Side.notIsolated("egress", why), Side.notIsolated("ingress", why), why);
    }

    public static Verdict of(Side egress, Side ingress) {
        return new Verdict(egress.allowed() && ingress.allowed(), egress, ingress, null);
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
     * cluster policy applies).
     */
    public record Side(String direction, String subject, boolean allowed, List<String> isolatingPolicies,
            List<String> allowingRules, String note, String passedBy, String decidedBy) {

        public Side {
            isolatingPolicies = List.copyOf(isolatingPolicies);
            allowingRules = List.copyOf(allowingRules);
        }

        /** A side without ClusterNetworkPolicy involvement. */
        public Side(String direction, String subject, boolean allowed, List<String> isolatingPolicies,
                List<String> allowingRules, String note) {
            this(direction, subject, allowed, isolatingPolicies, allowingRules, note, null, null);
        }

        static Side notIsolated(String direction, String subject) {
            return new Side(direction, subject, true, List.of(), List.of(), null);
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
