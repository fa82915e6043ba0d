package dev.weir.iptables.render;

import java.util.Objects;

/**
 * A jump from a built-in chain into a weir chain, kept at position 1 ({@code -I FORWARD 1 -j WEIR-FORWARD}). The only
 * rules weir ever places in chains it does not own.
 */
public record Hook(String builtinChain, String target) {

    public Hook {
        Objects.requireNonNull(builtinChain, "builtinChain");
        Objects.requireNonNull(target, "target");
    }
}
