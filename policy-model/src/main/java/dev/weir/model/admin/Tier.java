package dev.weir.model.admin;

/**
 * {@code spec.tier}. Declaration order is evaluation order: every Admin rule comes before NetworkPolicy, every
 * Baseline rule after it, so {@link #compareTo} sorts rules as they are evaluated.
 */
public enum Tier {
    ADMIN("Admin"), BASELINE("Baseline");

    private final String apiName;

    Tier(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** Parses the API spelling exactly, as the CRD's enum does. */
    public static Tier parse(String text) {
        for (Tier t : values()) {
            if (t.apiName.equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tier \"" + text + "\" (want Admin or Baseline)");
    }
}
