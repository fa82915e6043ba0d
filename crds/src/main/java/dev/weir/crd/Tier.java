package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code spec.tier}, spelled as the API spells it. */
public enum Tier {
    @JsonProperty("Admin")
    ADMIN,
    @JsonProperty("Baseline")
    BASELINE
}
