package io.cachep.dlqtool.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.dlqtool.CliRun;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.dlqtool.DlqToolMain;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dlq inspect}'s command line; what it shows is DlqReadCommandsIT's. */
class DlqInspectCommandTest {
    @Test
    void shouldTakeAPositionAndOfferTheStackTraceAndPayloadFlags() {
        Result help = CliRun.run(new DlqToolMain(), "dlq", "inspect", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("PARTITION:OFFSET", "--stacktrace", "--show-payload", "-o, --output");
    }

    @Test
    void shouldRefuseAMissingPositionAsAUsageError() {
        Result result = CliRun.run(new DlqInspectCommand(Map.of()));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("Missing required parameter: 'PARTITION:OFFSET'");
    }

    @Test
    void shouldRefuseAMalformedPositionSayingWhatItExpects() {
        Result result = CliRun.run(new DlqInspectCommand(Map.of()), "0-42");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("'0-42' is not PARTITION:OFFSET of the DLQ, e.g. 0:42 as dlq list shows it");
    }

    @Test
    void shouldRefuseAnUnknownOutputFormat() {
        Result result = CliRun.run(new DlqInspectCommand(Map.of()), "0:1", "-o", "yaml");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("yaml");
    }

    @Test
    void shouldListWhatTheConfigurationLacksAndExitTwo() {
        Result result = CliRun.run(new DlqInspectCommand(Map.of()), "0:1");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("projector.kafka.bootstrap.servers");
    }
}
