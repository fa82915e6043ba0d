package dev.weir.model;

/** A pod's lifecycle phase. Succeeded and Failed pods have released their IP and are in no peer set. */
public enum PodPhase {
    PENDING, RUNNING, SUCCEEDED, FAILED, UNKNOWN;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED;
    }

    /** Parses the API's phase text; absent or unknown text is {@link #UNKNOWN}. */
    public static PodPhase parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        return switch (text) {
            case "Pending" -> PENDING;
            case "Running" -> RUNNING;
            case "Succeeded" -> SUCCEEDED;
            case "Failed" -> FAILED;
            default -> UNKNOWN;
        };
    }
}
