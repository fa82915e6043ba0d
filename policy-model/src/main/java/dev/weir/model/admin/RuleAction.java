package dev.weir.model.admin;

/**
 * What a matching rule does with a connection. Accept and Deny are final for the direction; Pass skips every
 * remaining rule of the rule's tier and hands the connection to the next tier (Admin → NetworkPolicy, Baseline → the
 * default, which allows).
 */
public enum RuleAction {
    ACCEPT("Accept"), DENY("Deny"), PASS("Pass");

    private final String apiName;

    RuleAction(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** True for Accept and Deny: evaluation of this direction stops at the rule. */
    public boolean isFinal() {
        return this != PASS;
    }

    /** Parses the API spelling exactly, as the CRD's enum does. */
    public static RuleAction parse(String text) {
        for (RuleAction a : values()) {
            if (a.apiName.equals(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action \"" + text + "\" (want Accept, Deny or Pass)");
    }
}
