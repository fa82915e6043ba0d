package dev.weir.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Merging the conditions weir writes into a status's {@code conditions} list (standard {@code metav1.Condition}s).
 * Pure. A write is due only when a condition's status, reason, message or observedGeneration differ; the transition
 * time is kept while the status does not flip and is never compared, so recomputing the same content writes nothing.
 */
final class Conditions {

    /** The API's limit for a condition message. */
    static final int MAX_MESSAGE = 32_768;

    private Conditions() {
    }

    /**
     * The list to write so that {@code existing} carries every condition of {@code desired} (by type), or empty when it
     * already does. Conditions of other types stay as they are, in their place; a new one is appended. The transition
     * time of a changed condition is {@code now} when its status flips or it is new, else its old one.
     */
    static Optional<List<Condition>> merge(List<Condition> existing, List<Condition> desired, String now) {
        Map<String, Condition> wanted = new LinkedHashMap<>();
        desired.forEach(c -> wanted.put(c.getType(), c));
        List<Condition> out = new ArrayList<>();
        boolean changed = false;
        for (Condition old : existing == null ? List.<Condition>of() : existing) {
            Condition d = wanted.remove(old.getType());
            if (d == null) {
                out.add(old);
            } else if (sameContent(old, d)) {
                out.add(old);
            } else {
                out.add(stamped(d, old, now));
                changed = true;
            }
        }
        for (Condition d : wanted.values()) {
            out.add(stamped(d, null, now));
            changed = true;
        }
        return changed ? Optional.of(out) : Optional.empty();
    }

    private static boolean sameContent(Condition old, Condition desired) {
        return Objects.equals(old.getStatus(), desired.getStatus())
                && Objects.equals(old.getReason(), desired.getReason())
                && Objects.equals(old.getMessage(), desired.getMessage())
                && Objects.equals(old.getObservedGeneration(), desired.getObservedGeneration());
    }

    private static Condition stamped(Condition desired, Condition old, String now) {
        String since = old != null && Objects.equals(old.getStatus(), desired.getStatus())
                && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : now;
        return new ConditionBuilder(desired).withLastTransitionTime(since).build();
    }

    /** {@code message} cut to the API's limit. */
    static String truncate(String message) {
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    }
}
