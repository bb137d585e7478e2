package io.cachep.dlqtool;

import io.cachep.text.DurationText;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one parser of times on dlq-tool's command lines, as picocli converters ({@code converter = ...}): an RFC 3339
 * time with its offset ({@code 2024-05-01T12:00:00Z}, {@code 2024-05-01T14:00:00+02:00}) everywhere, and where an
 * option says so, a duration back from now such as {@code 2h} or {@code 1h30m} ({@link DurationText}). A bad value is a
 * usage error (exit 2) that names the option and the text: picocli's "Invalid value for option '--since': 'yesterday'
 * is neither an RFC 3339 time nor a duration such as 2h".
 */
public final class TimeConverter {
    private TimeConverter() {}

    /** RFC 3339 only: for the options that pick a point in a topic's log ({@code replay}, {@code reset-group}). */
    public static final class Rfc3339 implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            return parse(text, false, Instant.now());
        }
    }

    /** RFC 3339, or a duration back from now: for the DLQ's filters ({@code --since 2h}). */
    public static final class Rfc3339OrAgo implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            return parse(text, true, Instant.now());
        }
    }

    /** @param ago whether a duration back from {@code now} is accepted too */
    static Instant parse(String text, boolean ago, Instant now) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notRfc3339) {
            if (!ago) {
                throw new TypeConversionException("'" + text + "' is not an RFC 3339 time");
            }
            try {
                return now.minus(DurationText.parse(text));
            } catch (IllegalArgumentException notDuration) {
                throw new TypeConversionException("'" + text + "' is neither an RFC 3339 time nor a duration such as 2h");
            }
        }
    }
}
