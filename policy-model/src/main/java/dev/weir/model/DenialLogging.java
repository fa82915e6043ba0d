package dev.weir.model;

/**
 * Whether the pods of a namespace have the packets weir drops for them logged ({@code docs/denials.md}), as its
 * {@code weir.dev/log-denials} annotation says: {@link #DEFAULT} (no annotation, or an invalid one) follows the node's
 * setting, {@link #ON} ({@code "true"}) logs them also where the node logs by request only, {@link #OFF}
 * ({@code "false"}) logs nothing for them.
 */
public enum DenialLogging {
    DEFAULT, ON, OFF;

    /** Whether this namespace's pods are logged where the node logs by default ({@code nodeDefault}) or not. */
    public boolean logs(boolean nodeDefault) {
        return this == DEFAULT ? nodeDefault : this == ON;
    }
}
