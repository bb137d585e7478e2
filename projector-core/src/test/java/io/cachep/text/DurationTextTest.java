package io.cachep.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void shouldParseTheFormsPeopleWrite() {
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> DurationText.parse("soon")).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void shouldFormatAgesWithTheTwoLargestUnits() {
        assertThat(DurationText.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(DurationText.format(Duration.ofMinutes(125).plusSeconds(7))).isEqualTo("2h5m");
        assertThat(DurationText.format(Duration.ofDays(3).plusHours(4).plusMinutes(59))).isEqualTo("3d4h");
        assertThat(DurationText.format(Duration.ofDays(1).plusMinutes(3))).isEqualTo("1d");
        assertThat(DurationText.format(Duration.ofMillis(999))).isEqualTo("0s");
        assertThat(DurationText.format(Duration.ofSeconds(-5))).isEqualTo("0s");
    }

    @Test
    void shouldFormatWhatParseReadsBack() {
        Duration age = Duration.ofHours(26);
        assertThat(DurationText.parse(DurationText.format(age))).isEqualTo(age);
    }
}
