package dev.weir.status;

import java.time.Duration;

/** How long ago, as kubectl's AGE column writes it: two units at most ({@code 45s}, {@code 3m12s}, {@code 2d4h}). */
public final class Age {

    private Age() {
    }

    public static String format(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        if (s < 86_400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        }
        return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : s % 86_400 / 3600 + "h");
    }
}
