package io.cachep.dlqtool.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.dlqtool.CliRun;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.dlqtool.DlqToolMain;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dlq stats}'s command line; what it counts is DlqReadCommandsIT's. */
class DlqStatsCommandTest {
    @Test
    void shouldTakeTheFiltersOfDlqList() {
        Result help = CliRun.run(new DlqToolMain(), "dlq", "stats", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--reason", "--type", "--key", "--since", "--until", "--partition", "--from-offset",
                "--pending", "-o, --output");
    }

    @Test
    void shouldRefuseABadTimeAsAUsageError() {
        Result result = CliRun.run(new DlqStatsCommand(Map.of()), "--until", "tomorrow");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("Invalid value for option '--until': 'tomorrow' is neither an RFC 3339 time"
                + " nor a duration");
    }

    @Test
    void shouldRefuseAnUnknownOption() {
        Result result = CliRun.run(new DlqStatsCommand(Map.of()), "--by", "reason");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("Unknown options: '--by', 'reason'");
    }

    @Test
    void shouldListWhatTheConfigurationLacksAndExitTwo() {
        Result result = CliRun.run(new DlqStatsCommand(Map.of()));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("projector.kafka.bootstrap.servers");
    }
}
