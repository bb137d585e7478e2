package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A bad configuration or rules file stops the projector before it touches Kafka or Redis: every problem, exit 2. */
class ProjectorMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> environment, String... args) {
        CommandLine cli = new CommandLine(new ProjectorMain(environment));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldListEveryConfigurationProblemAtOnceAndExitTwo() {
        int exit = run(Map.of(
                "PROJECTOR_HTTP_PORT", "eighty",
                "PROJECTOR_REDIS_URI", "http://alice:s3cret@cache:6379",
                "PROJECTOR_REDIS_COMMAND_TIMEOUT_MS", "0"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .contains("projector.kafka.bootstrap.servers")
                .contains("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS")
                .contains("projector.rules.file")
                .contains("projector.http.port")
                .contains("projector.redis.uri")
                .contains("projector.redis.command.timeout.ms")
                .doesNotContain("s3cret");
    }

    @Test
    void shouldListEveryRulesProblemWithFileAndLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                namespace: demo
                rules:
                  - name: r
                    topic: t
                    type: x
                    mutations:
                      - upsert: { key: "k:{subject}", hsh: { a: "{data.a}" } }
                """);
        int exit = run(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "PROJECTOR_RULES_FILE", rules.toString()));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .contains(rules + ":7:39: rule 'r', mutation 1 (upsert): unknown field 'hsh', did you mean 'hash'?")
                .contains("either 'hash'");
    }

    @Test
    void shouldDescribeItsOptionsAndExitCodesInHelp() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("--config", "--apply-topics", "--redis-uri", "Exit codes", "PROJECTOR_REDIS_URI");
    }
}
