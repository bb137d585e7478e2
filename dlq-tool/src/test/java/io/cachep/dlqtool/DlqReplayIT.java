package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.dlq.DlqPurgeCommand;
import io.cachep.dlqtool.dlq.DlqReplayCommand;
import io.cachep.projector.ProjectorApp;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The DLQ round trip through a real broker, projector and redis-server: events of a type no rule knows land in the
 * DLQ; the rule is added; a dry run changes nothing; {@code dlq replay --execute} puts them back and the projector
 * applies them; a second replay finds nothing to do.
 */
@ExtendWith(DevStackExtension.class)
class DlqReplayIT {
    private static final String RULES = """
            namespace: ${namespace}
            rules:
              - name: started
                topic: ${topic}
                type: started
                mutations:
                  - upsert: { key: "session:{subject}", hash: { device: "{data.device}" } }
            """;
    private static final String RENAMED_RULE = """
              - name: renamed
                topic: ${topic}
                type: renamed
                mutations:
                  - upsert: { key: "name:{subject}", hash: { name: "{data.name}" } }
            """;

    @Test
    void shouldReplayDeadLettersOnceTheirRuleExistsAndNeverTwice(DevStack stack, TestIsolation isolation,
                                                                 @TempDir Path dir) throws Exception {
        String topic = isolation.topic("events");
        String dlq = isolation.topic("dlq");
        String namespace = isolation.keyPrefix();
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), List.of(
                new TopicSpec(topic, 2, (short) 1, Map.of()), new TopicSpec(dlq, 1, (short) 1, Map.of())));
        Path rules = Files.writeString(dir.resolve("rules.yaml"), (RULES).replace("${namespace}", namespace).replace("${topic}", topic));
        Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "PROJECTOR_REDIS_URI", stack.redisUri(), "PROJECTOR_RULES_FILE", rules.toString(),
                "PROJECTOR_APPLICATION_ID", isolation.applicationId(), "PROJECTOR_DLQ_TOPIC", dlq, "PROJECTOR_HTTP_PORT", "0");

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, "u-" + i, event("renamed", "u-" + i, "{\"name\":\"n" + i + "\"}"))).get();
            }
            producer.send(new ProducerRecord<>(topic, "s-1", event("started", "s-1", "{\"device\":\"ios\"}"))).get();
        }
        try (ProjectorApp first = projector(env)) {
            first.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.metrics().count(ProjectionMetrics.DLQ_OUTCOME) == 3
                    && first.metrics().count("applied") == 1);
        }

        Files.writeString(rules, (RULES + RENAMED_RULE).replace("${namespace}", namespace).replace("${topic}", topic));
        RedisClient client = RedisClient.create(stack.redisUri());
        try (ProjectorApp second = projector(env); StatefulRedisConnection<String, String> redis = client.connect()) {
            second.start();

            Result dryRun = run(new DlqReplayCommand(env));
            assertThat(dryRun.exit()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("would replay").contains("dry run: nothing sent").contains("UNKNOWN_TYPE");
            assertThat(redis.sync().exists(namespace + ":name:{u-0}")).isZero();

            Result replay = run(new DlqReplayCommand(env), "--execute");
            assertThat(replay.exit()).as(replay.err()).isZero();
            assertThat(replay.out()).containsPattern("replayed\\s+3");
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> redis.sync().hget(namespace + ":name:{u-2}", "name") != null);
            assertThat(redis.sync().hget(namespace + ":name:{u-0}", "name")).isEqualTo("n0");

            Result again = run(new DlqReplayCommand(env), "--execute");
            assertThat(again.out()).containsPattern("replayed\\s+0");

            Result purge = run(new DlqPurgeCommand(env));
            assertThat(purge.out()).containsPattern("would purge\\s+0");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void shouldRefuseAnUnknownReasonAsAUsageError(DevStack stack) {
        Result result = run(new DlqReplayCommand(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers())),
                "--reason", "BAD_MOOD");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--reason BAD_MOOD is not one of");
    }

    private static ProjectorApp projector(Map<String, String> env) throws Exception {
        ProjectorConfig config = new ConfigLoader(env).load(Optional.empty(), Map.of());
        return ProjectorApp.create(config, RulesFileLoader.load(config.rulesFile()));
    }

    record Result(int exit, String out, String err) {}

    private static Result run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ErrorHandler.configure(new CommandLine(command));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static byte[] event(String type, String subject, String data) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + type + "-" + subject + "\",\"type\":\"" + type
                + "\",\"source\":\"/test\",\"subject\":\"" + subject + "\",\"time\":\"" + Instant.now()
                + "\",\"entityversion\":1,\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }
}
