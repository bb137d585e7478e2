package io.cachep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDocsTest {

    /** Surefire runs in the module directory, so the repository's README is one level up. */
    private static final Path README = Path.of("..", "README.md");

    @Test
    void readmeTableMatchesTheDefinition() throws IOException {
        assumeTrue(Files.exists(README), "no README.md at " + README.toAbsolutePath() + " yet");
        Optional<String> block = ConfigDocs.tableIn(Files.readString(README, StandardCharsets.UTF_8));
        assumeTrue(block.isPresent(), "README.md has no " + ConfigDocs.START_MARKER + " ... "
                + ConfigDocs.END_MARKER + " block yet");

        assertThat(block.get())
                .as("README.md's configuration table is stale; regenerate it with"
                        + " java -cp <projector-core class path> io.cachep.config.ConfigDocs README.md")
                .isEqualTo(ConfigDocs.markdownTable());
    }

    @Test
    void tableHasARowPerKeyAndThePassThroughRow() {
        String table = ConfigDocs.markdownTable();

        assertThat(table).startsWith("| Key | Environment | Type | Default | Description |\n|---|---|---|---|---|\n");
        for (String key : ProjectorConfig.DEFINITION.configKeys().keySet()) {
            assertThat(table).contains("| `" + key + "` | `" + EnvironmentNames.forKey(key) + "` |");
        }
        assertThat(table).contains("| `projector.kafka.*` | `PROJECTOR_KAFKA_*` |");
        assertThat(table.lines()).hasSize(2 + ProjectorConfig.DEFINITION.configKeys().size() + 1);
    }

    @Test
    void requiredKeysSayRequiredAndPasswordsShowNoDefault() {
        String table = ConfigDocs.markdownTable();

        assertThat(table).contains("| `projector.rules.file` | `PROJECTOR_RULES_FILE` | STRING | required |");
        assertThat(table).contains("| `projector.redis.password` | `PROJECTOR_REDIS_PASSWORD` | PASSWORD |  |");
        assertThat(table).contains("| `projector.http.port` | `PROJECTOR_HTTP_PORT` | INT | `8080` |");
        assertThat(table).contains("| `projector.redis.command.timeout.ms` | `PROJECTOR_REDIS_COMMAND_TIMEOUT_MS` | LONG"
                + " | `2000` |");
    }

    @Test
    void mainRewritesOnlyTheMarkedBlock(@TempDir Path dir) throws IOException {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# cachep\n\n" + ConfigDocs.START_MARKER + "\nold table\n" + ConfigDocs.END_MARKER
                + "\n\nMore text.\n");

        ConfigDocs.main(new String[] {readme.toString()});
        String once = Files.readString(readme);
        ConfigDocs.main(new String[] {readme.toString()});

        assertThat(Files.readString(readme)).isEqualTo(once);
        assertThat(once).startsWith("# cachep\n\n" + ConfigDocs.START_MARKER + "\n| Key |")
                .endsWith(ConfigDocs.END_MARKER + "\n\nMore text.\n")
                .doesNotContain("old table");
        assertThat(ConfigDocs.tableIn(once)).contains(ConfigDocs.markdownTable());
    }

    @Test
    void documentWithoutMarkersIsRefused() {
        assertThatThrownBy(() -> ConfigDocs.replaceTable("# no markers\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ConfigDocs.START_MARKER);
    }
}
