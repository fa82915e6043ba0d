package dev.weir.iptables.render;

import java.util.Objects;

/**
 * One rule of a weir chain: the match-and-target text as it follows {@code -A CHAIN} in {@code iptables-restore}
 * input (without the comment), and the comment weir attaches (owning policy and a content hash, for drift checks).
 */
public record IptablesRule(String spec, String comment) {

    public IptablesRule {
        Objects.requireNonNull(spec, "spec");
    }
}
