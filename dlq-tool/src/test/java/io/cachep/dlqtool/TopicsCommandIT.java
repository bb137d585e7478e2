package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dlq-tool topics apply} against a real broker: creates, then finds nothing to do, then reports drift. */
@ExtendWith(DevStackExtension.class)
class TopicsCommandIT {

    @Test
    void shouldCreateMissingTopicsThenReportThemUnchangedThenReportDrift(DevStack stack, TestIsolation isolation,
                                                                        @TempDir Path dir) throws Exception {
        String topic = isolation.topic("orders");
        Path specs = Files.createDirectory(dir.resolve("topics"));
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "namespace: x\n");
        Files.writeString(specs.resolve("orders.yaml"), spec(topic, 2));
        Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "PROJECTOR_RULES_FILE", rules.toString(), "PROJECTOR_TOPICS_DIR", specs.toString());

        StringWriter out = new StringWriter();
        assertThat(run(env, out)).isZero();
        assertThat(out.toString()).contains(topic).contains("CREATED");

        out = new StringWriter();
        assertThat(run(env, out, "-o", "json")).isZero();
        assertThat(out.toString()).contains("\"action\":\"UNCHANGED\"");

        Files.writeString(specs.resolve("orders.yaml"), spec(topic, 4));
        out = new StringWriter();
        assertThat(run(env, out)).isEqualTo(3);
        assertThat(out.toString()).contains("DRIFT").contains("4");
    }

    private static String spec(String topic, int partitions) {
        return "name: " + topic + "\npartitions: " + partitions + "\nreplication-factor: 1\n";
    }

    private static int run(Map<String, String> env, StringWriter out, String... extra) {
        CommandLine cli = new CommandLine(new TopicsCommand.Apply(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return cli.execute(extra);
    }
}
