package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** dlq-tool reads the projector's configuration the same way the projector does, and never prints a secret. */
class ConfigCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new ConfigCommand(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldShowTheEffectiveConfigurationWithSecretsHidden(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "namespace: x\n");
        int exit = run(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                        "PROJECTOR_REDIS_URI", "redis://app:hunter2@cache:6379",
                        "PROJECTOR_KAFKA_SASL_JAAS_CONFIG", "secret-jaas"),
                "--rules-file", rules.toString(), "--http-port", "9100", "-o", "json");

        assertThat(exit).isZero();
        JsonNode config = new ObjectMapper().readTree(out.toString());
        assertThat(config.get("projector.http.port").asText()).isEqualTo("9100");
        assertThat(config.get("projector.redis.uri").asText()).isEqualTo("redis://app:[hidden]@cache:6379/0");
        assertThat(config.get("projector.kafka.sasl.jaas.config").asText()).isEqualTo("[hidden]");
        assertThat(out.toString() + err).doesNotContain("hunter2").doesNotContain("secret-jaas");
    }

    @Test
    void shouldListEveryProblemAndExitTwoForABadConfiguration() {
        int exit = run(Map.of("PROJECTOR_HTTP_PORT", "-1"));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("projector.http.port").contains("projector.rules.file")
                .contains("projector.kafka.bootstrap.servers");
    }

    @Test
    void shouldRefuseAnUnknownOutputFormatAsAUsageError() {
        assertThat(run(Map.of(), "-o", "yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("yaml");
    }
}
