package dev.weir.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Which version of a policy object a model record was translated from: its {@code metadata.uid} (a policy deleted
 * and created again under the same name is another object) and {@code metadata.generation} (bumped by the API server
 * on every spec change). Either may be null where the API server sets none. What the node report says the node
 * enforces, policy by policy.
 */
public record PolicyVersion(String uid, Long generation) {

    /** The version of {@code object} as the informer delivered it. */
    public static PolicyVersion of(HasMetadata object) {
        return new PolicyVersion(object.getMetadata().getUid(), object.getMetadata().getGeneration());
    }
}
