package dev.weir.agent;

/**
 * What {@code /healthz} and {@code /readyz} answer. {@code live}: the sync loop is running. {@code ready}: caches are
 * synced and the last apply succeeded; {@code reason} says what is missing when not.
 */
public record Health(boolean live, boolean ready, String reason) {

    public static Health ok() {
        return new Health(true, true, "ok");
    }
}
