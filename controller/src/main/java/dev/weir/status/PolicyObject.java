package dev.weir.status;

import dev.weir.model.ObjectKey;
import java.util.Objects;

/**
 * A policy as the API server holds it now: which object ({@code metadata.uid}; a policy deleted and created again
 * under the same name is another object) and which spec ({@code metadata.generation}). What the nodes' reports are
 * measured against. Either may be null where the API server sets none (then any reported uid, or any generation,
 * matches).
 */
public record PolicyObject(ObjectKey key, String uid, Long generation) {

    public PolicyObject {
        Objects.requireNonNull(key, "key");
        if (key.kind() != ObjectKey.Kind.NETWORK_POLICY && key.kind() != ObjectKey.Kind.CLUSTER_NETWORK_POLICY) {
            throw new IllegalArgumentException("not a policy: " + key);
        }
    }
}
