package io.cachep.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicSpecLoaderTest {

    /** Surefire runs in the module directory; the repository's specs are one level up. */
    private static final Path REPO_TOPICS = Path.of("..", "topics");

    private static final String SEVEN_DAYS = "604800000";

    @Test
    void loadsTheRepositorysTopicSpecsInFileNameOrder() {
        List<TopicSpec> specs = TopicSpecLoader.load(REPO_TOPICS);

        assertThat(specs).extracting(TopicSpec::name).containsExactly(
                "cachep-dlq", "profile-events", "room-events", "session-events", "tenant-events");
        assertThat(specs).filteredOn(spec -> spec.name().endsWith("-events")).allSatisfy(spec -> {
            assertThat(spec.partitions()).isEqualTo(6);
            assertThat(spec.replicationFactor()).isEqualTo((short) 1);
            assertThat(spec.configs()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("cleanup.policy", "delete", "retention.ms", SEVEN_DAYS, "max.message.bytes", "2097152"));
        });
        assertThat(specs.get(0)).isEqualTo(new TopicSpec("cachep-dlq", 3, (short) 1,
                Map.of("cleanup.policy", "delete", "retention.ms", "2592000000", "max.message.bytes", "3145728")));
    }

    @Test
    void unquotedNumbersInConfigsAreReadAsWritten(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "name: a\npartitions: 2\nreplication-factor: 3\n"
                + "configs:\n  retention.ms: 604800000\n  cleanup.policy: compact,delete\n");

        assertThat(TopicSpecLoader.load(dir)).singleElement().satisfies(spec -> {
            assertThat(spec.replicationFactor()).isEqualTo((short) 3);
            assertThat(spec.configs()).containsEntry("retention.ms", SEVEN_DAYS)
                    .containsEntry("cleanup.policy", "compact,delete");
        });
    }

    @Test
    void reportsEveryProblemInEveryFileAtOnce(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a-unknown-field.yaml"),
                "name: alpha\npartitions: 1\nreplication-factor: 1\nreplicas: 3\n");
        Files.writeString(dir.resolve("b-missing-name.yaml"), "partitions: 1\nreplication-factor: 1\n");
        Files.writeString(dir.resolve("c-zero-partitions.yaml"), "name: gamma\npartitions: 0\nreplication-factor: 1\n");
        Files.writeString(dir.resolve("d-duplicate.yaml"), "name: alpha\npartitions: 1\nreplication-factor: 1\n");
        Files.writeString(dir.resolve("e-first.yaml"), "name: alpha\npartitions: 1\nreplication-factor: 1\n");
        Files.writeString(dir.resolve("f-bad-yaml.yaml"), "name: [unclosed\n");
        Files.writeString(dir.resolve("g-bad-config.yaml"),
                "name: 'bad name!'\npartitions: six\nconfigs:\n  retention.ms: [1, 2]\n");
        Files.writeString(dir.resolve("h-wrong-extension.yml"), "name: eta\npartitions: 1\nreplication-factor: 1\n");
        Files.writeString(dir.resolve("notes.txt"), "not a spec, ignored\n");

        InvalidTopicSpecException e = catchThrowableOfType(InvalidTopicSpecException.class,
                () -> TopicSpecLoader.load(dir));

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("a-unknown-field.yaml", "unknown field 'replicas'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("b-missing-name.yaml", "missing field 'name'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("c-zero-partitions.yaml", "'partitions'", "from 1", "not 0"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("e-first.yaml", "'alpha'", "already defined in", "d-duplicate.yaml"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("f-bad-yaml.yaml", "not valid YAML"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("g-bad-config.yaml", "'name'", "bad name!"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("g-bad-config.yaml", "'partitions'", "six"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .contains("g-bad-config.yaml", "missing field 'replication-factor'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("g-bad-config.yaml", "configs.retention.ms"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("h-wrong-extension.yml", ".yaml"));
        assertThat(e.problems()).noneSatisfy(p -> assertThat(p).contains("notes.txt"));
        assertThat(e.problems()).hasSize(10);
        assertThat(e.getMessage()).contains("10 problems");
    }

    @Test
    void duplicateKeysInOneFileAreAProblem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "name: a\npartitions: 1\npartitions: 2\nreplication-factor: 1\n");

        InvalidTopicSpecException e = catchThrowableOfType(InvalidTopicSpecException.class,
                () -> TopicSpecLoader.load(dir));

        assertThat(e.problems()).singleElement().asString().contains("a.yaml", "partitions");
    }

    @Test
    void emptyOrMissingDirectoryIsAProblem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("empty.yaml"), "");

        assertThat(catchThrowableOfType(InvalidTopicSpecException.class, () -> TopicSpecLoader.load(dir)).problems())
                .singleElement().asString().contains("empty.yaml", "is empty");
        assertThat(catchThrowableOfType(InvalidTopicSpecException.class,
                () -> TopicSpecLoader.load(dir.resolve("nowhere"))).problems())
                .singleElement().asString().contains("nowhere", "does not exist");
        Files.delete(dir.resolve("empty.yaml"));
        assertThat(catchThrowableOfType(InvalidTopicSpecException.class, () -> TopicSpecLoader.load(dir)).problems())
                .singleElement().asString().contains("no *.yaml files");
    }
}
