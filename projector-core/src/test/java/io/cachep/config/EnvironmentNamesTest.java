package io.cachep.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentNamesTest {

    @Test
    void keyToVariableIsUpperCaseWithUnderscores() {
        assertThat(EnvironmentNames.forKey("projector.redis.uri")).isEqualTo("PROJECTOR_REDIS_URI");
        assertThat(EnvironmentNames.forKey("projector.redis.command.timeout.ms"))
                .isEqualTo("PROJECTOR_REDIS_COMMAND_TIMEOUT_MS");
        assertThat(EnvironmentNames.forKey("projector.some-key")).isEqualTo("PROJECTOR_SOME_KEY");
    }

    @Test
    void everyDeclaredKeyRoundTrips() {
        for (String key : ProjectorConfig.DEFINITION.configKeys().keySet()) {
            assertThat(EnvironmentNames.keyFor(EnvironmentNames.forKey(key))).contains(key);
        }
    }

    @Test
    void kafkaVariablesMapToPassThroughKeys() {
        assertThat(EnvironmentNames.keyFor("PROJECTOR_KAFKA_SASL_JAAS_CONFIG"))
                .contains("projector.kafka.sasl.jaas.config");
        assertThat(EnvironmentNames.keyFor("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS"))
                .contains("projector.kafka.bootstrap.servers");
    }

    @Test
    void shouldGiveAToolWithoutProjectorConfigurationTheKafkaClientSettingsOfTheEnvironment() {
        assertThat(EnvironmentNames.kafkaClientProperties(Map.of(
                "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "k:9093",
                "PROJECTOR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "PROJECTOR_REDIS_URI", "redis://r:6379",
                "KAFKA_BOOTSTRAP_SERVERS", "other:9092")))
                .containsExactly(Map.entry("bootstrap.servers", "k:9093"), Map.entry("security.protocol", "SASL_SSL"));
    }

    @Test
    void otherVariablesMapToNothing() {
        assertThat(EnvironmentNames.keyFor("PROJECTOR_REDIS_URL")).isEmpty();
        assertThat(EnvironmentNames.keyFor("PROJECTOR_KAFKA_")).isEmpty();
        assertThat(EnvironmentNames.keyFor("PATH")).isEmpty();
    }
}
