package io.cachep.dlqtool.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.dlqtool.CliRun;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.dlqtool.DlqToolMain;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dlq list}'s command line; what it lists is DlqReadCommandsIT's. */
class DlqListCommandTest {
    private static final Map<String, String> CONFIGURED = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");

    @Test
    void shouldOfferTheReplayFiltersALimitAndJson() {
        Result help = CliRun.run(new DlqToolMain(), "dlq", "list", "--help");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--reason", "--type", "--key", "--since", "--until", "--partition", "--from-offset",
                "--pending", "--limit", "default: 50; 0 shows all", "-o, --output");
    }

    @Test
    void shouldRefuseANegativeLimitAsAUsageError() {
        Result result = CliRun.run(new DlqListCommand(CONFIGURED), "--limit", "-1");

        assertThat(result.exit()).as(result.both()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("--limit must be 0 (all) or more, was -1\n"
                + "See 'list --help' for the options.\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldSuggestTheOptionMeantInsteadOfPrintingTheWholeHelp() {
        Result result = CliRun.run(new DlqToolMain(), "dlq", "list", "--limt", "5");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().lines()).first().asString().isEqualTo("Unknown options: '--limt', '5'");
        assertThat(result.err()).contains("--limit").endsWith("See 'dlq-tool dlq list --help' for the options.\n")
                .doesNotContain("Usage:");
    }

    @Test
    void shouldRefuseBadFilterValuesAsUsageErrors() {
        Result reason = CliRun.run(new DlqListCommand(CONFIGURED), "--reason", "BAD_MOOD");
        assertThat(reason.exit()).isEqualTo(2);
        assertThat(reason.err()).startsWith("--reason BAD_MOOD is not one of [UNDECODABLE");

        Result since = CliRun.run(new DlqListCommand(CONFIGURED), "--since", "yesterday");
        assertThat(since.exit()).isEqualTo(2);
        assertThat(since.err()).startsWith(
                "Invalid value for option '--since': 'yesterday' is neither an RFC 3339 time nor a duration such as 2h");

        Result limit = CliRun.run(new DlqListCommand(CONFIGURED), "--limit", "many");
        assertThat(limit.exit()).isEqualTo(2);
        assertThat(limit.err()).contains("'many' is not an int");
    }

    @Test
    void shouldRefuseAnUnknownOutputFormat() {
        Result result = CliRun.run(new DlqListCommand(CONFIGURED), "-o", "yaml");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("yaml").contains("text, json");
    }

    @Test
    void shouldListWhatTheConfigurationLacksAndExitTwo() {
        Result result = CliRun.run(new DlqListCommand(Map.of()));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("projector.kafka.bootstrap.servers").contains("projector.rules.file");
        assertThat(result.out()).isEmpty();
    }
}
