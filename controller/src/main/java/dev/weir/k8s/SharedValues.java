package dev.weir.k8s;

import com.github.benmanes.caffeine.cache.Interner;

/**
 * One instance per value among the records the process holds, for the parts of translated records that many objects
 * carry equal: the replicas of a workload have equal labels and container ports, pods created in one second equal
 * times, policies the same selectors. At Kubernetes' limits (150,000 pods, 50,000 policies) the copies cost
 * ≈ 30 MiB (docs/benchmarks.md, "An agent at Kubernetes' limits"). Only immutable values go in, so sharing one
 * changes nothing but the room; the interner holds them weakly, so a value no record holds any more goes.
 */
final class SharedValues {

    private static final Interner<Object> SHARED = Interner.newWeakInterner();

    private SharedValues() {
    }

    /** The instance equal to {@code value} that records share (null for null). */
    @SuppressWarnings("unchecked")
    static <T> T of(T value) {
        return value == null ? null : (T) SHARED.intern(value);
    }
}
