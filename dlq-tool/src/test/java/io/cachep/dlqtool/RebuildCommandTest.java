package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rebuild's usage errors: exit 2 and one line naming the problem, before it touches Kafka or Redis. */
class RebuildCommandTest {
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();

    private int run(Map<String, String> env, String... args) {
        CliRun.Result result = CliRun.run(new RebuildCommand(env), args);
        out.append(result.out());
        err.append(result.err());
        return result.exit();
    }

    @Test
    void shouldDemandTheNamespaceOutLoud() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--namespace=N'").contains("See 'rebuild --help'");
    }

    @Test
    void shouldRefuseANamespaceOtherThanTheRulesFiles(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                namespace: demo
                rules:
                  - name: started
                    topic: events
                    type: started
                    mutations:
                      - upsert: { key: "session:{subject}", hash: { device: "{data.device}" } }
                """);
        // Nothing listens on port 1: the check must come before any connection.
        int exit = run(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "PROJECTOR_REDIS_URI", "redis://127.0.0.1:1",
                "PROJECTOR_RULES_FILE", rules.toString()), "--namespace", "other", "--execute");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--namespace other is not the rules file's namespace (demo)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldRefuseUnknownOptionsAndOutputFormats() {
        assertThat(run(Map.of(), "--namespace", "demo", "--force")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--force'");
        assertThat(run(Map.of(), "--namespace", "demo", "-o", "yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("yaml");
    }

    @Test
    void shouldReportABadConfigurationWithEveryProblem() {
        assertThat(run(Map.of("PROJECTOR_HTTP_PORT", "-1"), "--namespace", "demo")).isEqualTo(2);
        assertThat(err.toString()).contains("projector.rules.file").contains("projector.kafka.bootstrap.servers");
    }

    @Test
    void shouldDescribeEveryOptionInItsHelp() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("--namespace=N").contains("--execute").contains("--allow-partial-history")
                .contains("--restart").contains("--output").contains("--config");
    }
}
