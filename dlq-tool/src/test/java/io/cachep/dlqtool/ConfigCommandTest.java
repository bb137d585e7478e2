package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dlq-tool reads the projector's configuration the same way the projector does, and never prints a secret. */
class ConfigCommandTest {
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();

    /** As bin/dlq-tool runs it: a bad configuration is the error handler's to report. */
    private int run(Map<String, String> env, String... args) {
        CliRun.Result result = CliRun.run(new ConfigCommand(env), args);
        out.append(result.out());
        err.append(result.err());
        return result.exit();
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
