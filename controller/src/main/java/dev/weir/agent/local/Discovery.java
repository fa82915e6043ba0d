package dev.weir.agent.local;

import java.util.Objects;

/** One discovery's answer ({@code bindings}) and the {@link Fingerprint} of the host state it was read from. */
public record Discovery(InterfaceBindings bindings, Fingerprint seen) {

    public Discovery {
        Objects.requireNonNull(bindings, "bindings");
        Objects.requireNonNull(seen, "seen");
    }
}
