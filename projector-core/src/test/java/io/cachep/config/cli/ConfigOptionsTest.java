package io.cachep.config.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.cachep.config.EnvironmentNames;
import io.cachep.config.InvalidConfigurationException;
import io.cachep.config.ProjectorConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;

class ConfigOptionsTest {

    @Command(name = "test-command")
    static final class TestCommand {
        @Mixin
        ConfigOptions config;
    }

    @TempDir
    Path dir;

    private static ConfigOptions parse(String... args) {
        TestCommand command = new TestCommand();
        new CommandLine(command).parseArgs(args);
        return command.config;
    }

    @Test
    void namedFlagsAndSetPairsBecomeOverridesAndBeatTheEnvironment() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "rules: []\n");
        ConfigOptions options = parse("--bootstrap-servers", "broker:9092", "--rules-file", rules.toString(),
                "--http-port", "9000", "--set", "projector.kafka.sasl.jaas.config=Module required password=\"x\";",
                "--set", "projector.dlq.topic=from-set", "--dlq-topic", "from-flag");

        ProjectorConfig config = options.load(Map.of("PROJECTOR_HTTP_PORT", "7000",
                "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "env-broker:9092"));

        assertThat(config.bootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.httpPort()).isEqualTo(9000);
        assertThat(config.dlqTopic()).isEqualTo("from-flag");
        assertThat(config.kafkaClientProperties())
                .containsEntry("sasl.jaas.config", "Module required password=\"x\";");
    }

    @Test
    void configFileIsReadAndTheEnvironmentOverridesIt() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "rules: []\n");
        Path file = Files.writeString(dir.resolve("app.properties"), "projector.kafka.bootstrap.servers=file:9092\n"
                + "projector.rules.file=" + rules.toString().replace("\\", "\\\\") + "\nprojector.http.port=8100\n");

        ProjectorConfig config = parse("-c", file.toString()).load(Map.of("PROJECTOR_HTTP_PORT", "8200"));

        assertThat(config.bootstrapServers()).isEqualTo("file:9092");
        assertThat(config.httpPort()).isEqualTo(8200);
    }

    @Test
    void missingRequiredKeyNamesTheShortcutFlag() {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> parse().load(Map.of()));

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("--rules-file", "PROJECTOR_RULES_FILE"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("--bootstrap-servers", "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS"));
    }

    @Test
    void everyShortcutDescriptionNamesItsKeyAndEnvironmentVariable() {
        CommandLine commandLine = new CommandLine(new TestCommand());
        ConfigOptions.FLAG_BY_KEY.forEach((key, flag) -> {
            OptionSpec option = commandLine.getCommandSpec().findOption(flag);
            assertThat(option).as(flag).isNotNull();
            assertThat(String.join(" ", option.description())).as(flag)
                    .contains(key, EnvironmentNames.forKey(key));
        });
        assertThat(ConfigOptions.FLAG_BY_KEY.keySet()).allSatisfy(key ->
                assertThat(ProjectorConfig.DEFINITION.configKeys()).containsKey(key));
    }
}
