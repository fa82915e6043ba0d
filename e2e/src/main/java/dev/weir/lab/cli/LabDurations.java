package dev.weir.lab.cli;

import dev.weir.cli.Main;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the agent's flags write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
final class LabDurations {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)");

    private LabDurations() {
    }

    static Duration parse(String text, String flag) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new Main.UsageException(flag + " wants a duration like 500ms, 30s, 5m or 1h, got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
