package dev.weir.agent;

/** Closes test resources in order, every one even when an earlier close fails; the first failure is rethrown. */
public final class Closing {

    private Closing() {
    }

    /**
     * Closes {@code resources} left to right (agent before clients, clients before the server), skipping nulls. Later
     * failures are added to the first as suppressed.
     */
    public static void inOrder(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
