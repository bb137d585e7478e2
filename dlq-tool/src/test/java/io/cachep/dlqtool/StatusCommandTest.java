package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.dlqtool.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status}'s command line; what it reports is StatusCommandIT's. */
class StatusCommandTest {
    @Test
    void shouldBeATopLevelCommandWithJsonOutput() {
        Result help = CliRun.run(new DlqToolMain(), "status", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: dlq-tool status", "-o, --output", "--config", "--application-id");
        assertThat(CliRun.run(new DlqToolMain(), "--help").out()).contains("status");
    }

    @Test
    void shouldRefuseAnUnknownOutputFormat() {
        Result result = CliRun.run(new StatusCommand(Map.of()), "-o", "table");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("table");
    }

    @Test
    void shouldListWhatTheConfigurationLacksAndExitTwo() {
        Result result = CliRun.run(new StatusCommand(Map.of()));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("projector.kafka.bootstrap.servers").contains("projector.rules.file");
    }

    @Test
    void shouldExitTwoOnABadRulesFileBeforeConnecting(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "namespace: x\nrules: [ {name: r} ]\n");

        Result result = CliRun.run(new StatusCommand(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "PROJECTOR_RULES_FILE", rules.toString())));

        assertThat(result.exit()).as(result.both()).isEqualTo(2);
        assertThat(result.err()).contains(rules.toString());
    }
}
