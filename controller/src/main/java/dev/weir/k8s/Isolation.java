package dev.weir.k8s;

import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.Supplier;

/**
 * Keeps one object's trouble to that object. Every translation of a cluster object — for {@code weir explain} and
 * {@code weir render} as for the agent — runs through {@link #translate}: a {@link RuntimeException} from the
 * translator (a weir bug that an unforeseen input reaches) becomes a rejection of that object naming it, never an
 * exception that stops a load or a sync. User mistakes are not handled here: the translators report those with their
 * field paths. What a translator accepts is a validated model record, which compiles (MalformedObjectsFuzzTest
 * checks both at scale).
 */
public final class Isolation {

    private Isolation() {
    }

    /** {@code translation}'s result, or {@code object} rejected with what went wrong. */
    public static <T> Translated<T> translate(ObjectKey object, Supplier<Translated<T>> translation) {
        try {
            return translation.get();
        } catch (RuntimeException e) {
            return rejected(object, e);
        }
    }

    /** {@code object} rejected because translating it threw {@code e}. */
    public static <T> Translated<T> rejected(ObjectKey object, RuntimeException e) {
        Findings findings = new Findings(object);
        findings.error("", "could not be translated (" + e + "); left out, everything else is enforced");
        return findings.rejected();
    }

    /**
     * The object's name in messages, from metadata that may be missing: {@code <unnamed>} and, if namespaced, the
     * namespace {@code kubectl apply} would use.
     */
    public static ObjectKey ref(ObjectKey.Kind kind, HasMetadata in) {
        String name = in.getMetadata() == null ? null : in.getMetadata().getName();
        return new ObjectKey(kind, kind.namespaced() ? ModelTranslator.namespaceOf(in.getMetadata()) : null,
                name == null || name.isEmpty() ? "<unnamed>" : name);
    }
}
