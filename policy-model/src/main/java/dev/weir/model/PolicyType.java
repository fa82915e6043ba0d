package dev.weir.model;

/** The directions a NetworkPolicy may isolate. */
public enum PolicyType {
    INGRESS("Ingress"), EGRESS("Egress");

    private final String apiName;

    PolicyType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static PolicyType parse(String text) {
        for (PolicyType t : values()) {
            if (t.apiName.equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown policy type \"" + text + "\" (want Ingress or Egress)");
    }
}
