package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The one parser of times on the command line: RFC 3339 everywhere, a duration back from now where an option says so. */
class TimeConverterTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void shouldReadRfc3339WithAnyOffsetInBothModes() {
        for (boolean ago : new boolean[] {false, true}) {
            assertThat(TimeConverter.parse("2024-05-01T10:00:00Z", ago, NOW)).isEqualTo("2024-05-01T10:00:00Z");
            assertThat(TimeConverter.parse("2024-05-01T12:00:00.250+02:00", ago, NOW)).isEqualTo("2024-05-01T10:00:00.250Z");
            assertThat(TimeConverter.parse("2024-05-01T10:00Z", ago, NOW)).isEqualTo("2024-05-01T10:00:00Z");
        }
    }

    @Test
    void shouldReadADurationBackFromNowOnlyWhereTheOptionTakesOne() {
        assertThat(TimeConverter.parse("2h", true, NOW)).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(TimeConverter.parse("1h30m", true, NOW)).isEqualTo("2024-05-01T10:30:00Z");
        assertThatThrownBy(() -> TimeConverter.parse("2h", false, NOW)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'2h' is not an RFC 3339 time");
    }

    @Test
    void shouldNameTheBadTextAndWhatIsAccepted() {
        assertThatThrownBy(() -> TimeConverter.parse("yesterday", true, NOW)).isInstanceOf(TypeConversionException.class)
                .hasMessage("'yesterday' is neither an RFC 3339 time nor a duration such as 2h");
        assertThatThrownBy(() -> TimeConverter.parse("2024-05-01 10:00", false, NOW))
                .hasMessage("'2024-05-01 10:00' is not an RFC 3339 time");
    }

    @Test
    void shouldRefuseABadTimeAsAUsageErrorNamingTheOptionBeforeReadingTheConfiguration() {
        CliRun.Result replay = CliRun.run(new ReplayCommand(Map.of()), "--topic", "t", "--from-time", "noon");
        assertThat(replay.exit()).as(replay.both()).isEqualTo(2);
        assertThat(replay.err()).startsWith("Invalid value for option '--from-time': 'noon' is not an RFC 3339 time\n");

        CliRun.Result reset = CliRun.run(new ResetGroupCommand(Map.of()), "--to-time", "2h");
        assertThat(reset.exit()).as(reset.both()).isEqualTo(2);
        assertThat(reset.err()).startsWith("Invalid value for option '--to-time': '2h' is not an RFC 3339 time\n");
    }
}
