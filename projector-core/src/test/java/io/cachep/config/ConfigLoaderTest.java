package io.cachep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"projector\" password=\"jaas-s3cret\";";

    @TempDir
    Path dir;

    private Path rules;
    private Map<String, String> env;

    @BeforeEach
    void requiredSettings() throws IOException {
        rules = Files.writeString(dir.resolve("rules.yaml"), "rules: []\n");
        env = new HashMap<>();
        env.put("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        env.put("PROJECTOR_RULES_FILE", rules.toString());
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ProjectorConfig config = new ConfigLoader(env).load(Optional.empty(), Map.of());

        assertThat(config.applicationId()).isEqualTo("cachep-projector");
        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.dlqTopic()).isEqualTo("cachep-dlq");
        assertThat(config.topicsDir()).isEqualTo(Path.of("topics"));
        assertThat(config.rulesFile()).isEqualTo(rules);
        assertThat(config.redis().host()).isEqualTo("127.0.0.1");
        assertThat(config.redis().port()).isEqualTo(6379);
        assertThat(config.redis().commandTimeout().toMillis()).isEqualTo(2000);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void fileBeatsDefaultEnvironmentBeatsFileFlagBeatsEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("app.properties"), "projector.http.port=8081\n");

        assertThat(new ConfigLoader(env).load(Optional.empty(), Map.of()).httpPort()).isEqualTo(8080);
        assertThat(new ConfigLoader(env).load(Optional.of(file), Map.of()).httpPort()).isEqualTo(8081);

        env.put("PROJECTOR_HTTP_PORT", "8082");
        assertThat(new ConfigLoader(env).load(Optional.of(file), Map.of()).httpPort()).isEqualTo(8082);

        assertThat(new ConfigLoader(env).load(Optional.of(file), Map.of("projector.http.port", "8083")).httpPort())
                .isEqualTo(8083);
    }

    @Test
    void passThroughKafkaVariableReachesTheClientsAndIsHiddenInTheRedactedView() {
        env.put("PROJECTOR_KAFKA_SASL_JAAS_CONFIG", JAAS);
        env.put("PROJECTOR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");

        ProjectorConfig config = new ConfigLoader(env).load(Optional.empty(),
                Map.of("projector.kafka.ssl.truststore.password", "trust-s3cret",
                        "projector.kafka.producer.ssl.keystore.key", "key-s3cret"));

        assertThat(config.kafkaClientProperties())
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("ssl.truststore.password", "trust-s3cret");
        assertThat(config.redacted())
                .containsEntry("projector.kafka.sasl.jaas.config", "[hidden]")
                .containsEntry("projector.kafka.ssl.truststore.password", "[hidden]")
                .containsEntry("projector.kafka.producer.ssl.keystore.key", "[hidden]")
                .containsEntry("projector.kafka.security.protocol", "SASL_SSL")
                .containsEntry("projector.kafka.bootstrap.servers", "localhost:9092");
        assertThat(config.redacted().toString() + config).doesNotContain("s3cret");
    }

    @Test
    void redactedViewIsSortedAndHidesBothRedisPasswords() {
        env.put("PROJECTOR_REDIS_URI", "redis://app:uri-s3cret@cache:6380/2");
        env.put("PROJECTOR_REDIS_PASSWORD", "override-s3cret");

        ProjectorConfig config = new ConfigLoader(env).load(Optional.empty(), Map.of());

        assertThat(config.redis().password()).contains("override-s3cret");
        assertThat(config.redacted())
                .containsEntry("projector.redis.uri", "redis://app:[hidden]@cache:6380/2")
                .containsEntry("projector.redis.password", "[hidden]");
        assertThat(new java.util.ArrayList<>(config.redacted().keySet())).isSorted();
        assertThat(config.redacted().toString()).doesNotContain("s3cret");
    }

    @Test
    void uriPasswordIsUsedWhenNoOverrideIsSetAndAnEmptyOverrideCountsAsUnset() {
        env.put("PROJECTOR_REDIS_URI", "rediss://app:uri-s3cret@cache:6380/2");
        env.put("PROJECTOR_REDIS_PASSWORD", "");

        RedisEndpoint redis = new ConfigLoader(env).load(Optional.empty(), Map.of()).redis();

        assertThat(redis.password()).contains("uri-s3cret");
        assertThat(redis.tls()).isTrue();
        assertThat(redis.username()).contains("app");
        assertThat(redis.database()).isEqualTo(2);
    }

    @Test
    void reportsEveryProblemAtOnceWithoutTheRedisPassword() throws IOException {
        Path file = Files.writeString(dir.resolve("app.properties"), String.join("\n",
                "projector.redis.command.timeout.ms=soon",
                "projector.http.port=70000",
                "projector.dlq.topic=dead letters!",
                "projector.redis.uri=http://alice:uri-s3cret@cache:70000/x"));
        Map<String, String> environment = Map.of("PROJECTOR_RULES_FILE", dir.resolve("missing.yaml").toString());

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> new ConfigLoader(environment).load(Optional.of(file), Map.of()));

        assertThat(e.problems()).hasSize(6);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("projector.redis.command.timeout.ms", "soon", "config file " + file));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("projector.http.port", "70000", "no more than 65535"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("projector.dlq.topic", "dead letters!"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("projector.redis.uri", "scheme must be redis:// or rediss://", "port must be from 1 to 65535",
                        "database"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("projector.rules.file", "environment PROJECTOR_RULES_FILE", "missing.yaml", "does not exist"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("projector.kafka.bootstrap.servers", "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(e.problems()).allSatisfy(p -> assertThat(p).doesNotContain("uri-s3cret"));
        assertThat(e.getMessage()).doesNotContain("uri-s3cret").contains("6 problems");
    }

    @Test
    void missingRequiredKeyNamesTheVariableAndTheFlag() {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> new ConfigLoader(Map.of(), Map.of("projector.rules.file", "--rules-file"))
                        .load(Optional.empty(), Map.of("projector.kafka.bootstrap.servers", "localhost:9092")));

        assertThat(e.problems()).singleElement().asString()
                .contains("projector.rules.file", "PROJECTOR_RULES_FILE", "--rules-file", "--set");
    }

    @Test
    void unreadableConfigFileIsReportedWithTheOtherProblems() {
        Path missing = dir.resolve("nope.properties");

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> new ConfigLoader(Map.of()).load(Optional.of(missing), Map.of()));

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("config file " + missing, "cannot be read"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("projector.rules.file"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("projector.kafka.bootstrap.servers"));
    }

    @Test
    void rulesFileThatIsADirectoryIsAProblem() {
        env.put("PROJECTOR_RULES_FILE", dir.toString());

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> new ConfigLoader(env).load(Optional.empty(), Map.of()));

        assertThat(e.problems()).singleElement().asString().contains("projector.rules.file", "is a directory");
    }

    @Test
    void unknownKeysAndVariablesAreWarningsWithSuggestions() throws IOException {
        Path file = Files.writeString(dir.resolve("app.properties"), "projector.redis.url=redis://cache:6379\n"
                + "projector.kafka.linger.ms=5\n");
        env.put("PROJECTOR_REDIS_URL", "redis://cache:6379");
        env.put("PROJECTOR_NONSENSE_THAT_MATCHES_NOTHING", "x");
        env.put("HOME", "/root");

        env.put("PROJECTOR_KAFAK_LINGER_MS", "5");
        ProjectorConfig config = new ConfigLoader(env).load(Optional.of(file), Map.of("projector.htp.port", "1",
                "projector.kafak.linger.ms", "5"));

        assertThat(config.warnings()).anySatisfy(w -> assertThat(w)
                .contains("projector.redis.url", "config file " + file, "did you mean projector.redis.uri?"));
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w)
                .contains("PROJECTOR_REDIS_URL", "did you mean PROJECTOR_REDIS_URI?"));
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w)
                .contains("projector.htp.port", "--set", "did you mean projector.http.port?"));
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w)
                .contains("PROJECTOR_NONSENSE_THAT_MATCHES_NOTHING").doesNotContain("did you mean"));
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w)
                .contains("projector.kafak.linger.ms", "did you mean projector.kafka.linger.ms?"));
        assertThat(config.warnings()).anySatisfy(w -> assertThat(w)
                .contains("PROJECTOR_KAFAK_LINGER_MS", "did you mean PROJECTOR_KAFKA_LINGER_MS?"));
        assertThat(config.warnings()).hasSize(6); // HOME is not ours, projector.kafka.linger.ms is a pass-through
        assertThat(config.kafkaClientProperties()).containsEntry("linger.ms", "5");
        assertThat(config.redis().host()).isEqualTo("127.0.0.1"); // the misspelt key changed nothing
    }

    @Test
    void keysOutsideTheProjectorNamespaceAreWarnedAbout() {
        ProjectorConfig config = new ConfigLoader(env).load(Optional.empty(), Map.of("bootstrap.servers", "x:1"));

        assertThat(config.warnings()).singleElement().asString().contains("bootstrap.servers", "projector.kafka.");
    }
}
