package io.cachep.text;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in config files: {@code 30m}, {@code 24h}, {@code 1h30m}, {@code 500ms}, {@code 7d}. */
public final class DurationText {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationText() {}

    /** Parses, or throws {@link IllegalArgumentException} saying what the accepted form is. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        if (!WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 30s, 30m, 24h, 1h30m, 7d or 500ms");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return total;
    }

    /**
     * The two largest units, rounded down, in the form {@link #parse} reads: {@code 3d4h}, {@code 2h5m}, {@code 45s},
     * {@code 0s}. For ages shown to people, where seconds of a day-old record are noise. Negative durations (clock
     * skew) show as {@code 0s}.
     */
    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long[] amounts = {seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60};
        String[] units = {"d", "h", "m", "s"};
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < amounts.length && shown < 2; i++) {
            if (amounts[i] > 0 || shown > 0) {
                if (amounts[i] > 0) {
                    text.append(amounts[i]).append(units[i]);
                }
                shown++;
            }
        }
        return text.isEmpty() ? "0s" : text.toString();
    }
}
