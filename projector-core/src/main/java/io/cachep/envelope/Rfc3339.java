package io.cachep.envelope;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads an RFC 3339 timestamp exactly as {@link OffsetDateTime#parse} does, but the shape producers nearly always
 * write ({@code 2026-11-30T04:26:00.123456789Z}, or with a {@code ±hh:mm} offset) without the general formatter, which
 * cost an eighth of the projector's per-event time. Anything else, valid or not, goes to {@link OffsetDateTime#parse},
 * so both accept and refuse the same texts (a test compares them).
 */
final class Rfc3339 {
    private Rfc3339() {}

    /** @throws java.time.format.DateTimeParseException as {@link OffsetDateTime#parse} would */
    static Instant parse(String text) {
        Instant fast = parseCommonShape(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** The instant, or null when the text is not of the common shape (or not a valid date or time). */
    static Instant parseCommonShape(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            int count = i - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(s, start, count);
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, 2);
            int minutes = digits(s, i + 4, 2);
            if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null; // let the formatter refuse it, with its own message
        }
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
