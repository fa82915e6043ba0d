package dev.weir.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A rule's {@code action}, spelled as the API spells it. */
public enum RuleAction {
    @JsonProperty("Accept")
    ACCEPT,
    @JsonProperty("Deny")
    DENY,
    @JsonProperty("Pass")
    PASS
}
