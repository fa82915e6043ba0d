package dev.weir.agent;

/** Why a sync runs; decides how much it does. */
public enum SyncKind {
    /** Recorded changes arrived: apply them. */
    CHANGES,
    /** Periodic (or first, or retry): rebuild the state from the informer caches, render and apply everything. */
    FULL,
    /** Periodic: compare the kernel with the last applied ruleset and re-apply it when they differ. */
    DRIFT
}
