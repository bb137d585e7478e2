package io.cachep.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path must accept and refuse exactly what {@link OffsetDateTime#parse} does, to the nanosecond. */
class Rfc3339Test {
    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-30T04:26:00Z", "2026-11-30T04:26:00.1Z", "2026-11-30T04:26:00.123456789Z", "2026-11-30T04:26:00z",
            "2026-11-30T04:26:00.5+01:00", "2026-11-30T04:26:00-05:30", "2024-02-29T23:59:59.999Z", "0001-01-01T00:00:00Z",
            "2026-11-30T04:26Z", "2026-11-30T04:26:00+01", "2026-11-30T04:26:00+01:00:30", "2026-11-30T04:26:00.1234567890Z",
            "2026-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-30T24:00:00Z",
            "2026-11-30T23:60:00Z", "2026-11-30T23:59:60Z", "2026-11-30T04:26:00+19:00", "2026-11-30T04:26:00.Z",
            "2026-11-30 04:26:00Z", "2026-11-30T04:26:00", "yesterday", "", "2026-11-30T04:26:00Zx", "+12026-11-30T04:26:00Z",
            "2026-11-30T04:26:00+01:60", "2026-1a-30T04:26:00Z", "２026-11-30T04:26:00Z"})
    void shouldAgreeWithOffsetDateTimeParse(String text) {
        assertAgrees(text);
    }

    @Test
    void shouldAgreeOnRandomTimestampsOfTheCommonShape() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 253402300799L), random.nextInt(1_000_000_000));
            String text = instant.toString();
            assertThat(Rfc3339.parseCommonShape(text)).as(text).isEqualTo(instant);
            assertAgrees(text);
        }
    }

    @Test
    void shouldTakeTheFastPathForTheShapeProducersWrite() {
        assertThat(Rfc3339.parseCommonShape("2026-11-30T04:26:00.123456789Z")).isNotNull();
        assertThat(Rfc3339.parseCommonShape("2026-11-30T04:26:00+01:00")).isNotNull();
    }

    private static void assertAgrees(String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> Rfc3339.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(Rfc3339.parse(text)).as(text).isEqualTo(expected);
    }
}
