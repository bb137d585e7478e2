package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.CloudEventJsonParser;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** After Redis lost everything (FLUSHALL), {@code replay --from-time} restores the namespace to the reference projection. */
@ExtendWith(DevStackExtension.class)
class ReplayCommandIT {
    private static final String RULES = """
            namespace: ${namespace}
            rules:
              - name: started
                topic: ${topic}
                type: started
                mutations:
                  - upsert: { key: "session:{subject}", hash: { device: "{data.device}" }, ttl: 1h }
              - name: ended
                topic: ${topic}
                type: ended
                mutations:
                  - delete: { key: "session:{subject}" }
            """;

    @Test
    void shouldRestoreTheCacheFromTheLogAfterRedisLostEverything(DevStack stack, TestIsolation isolation, @TempDir Path dir)
            throws Exception {
        String topic = isolation.topic("events");
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), List.of(new TopicSpec(topic, 3, (short) 1, Map.of())));
        Path rulesFile = Files.writeString(dir.resolve("rules.yaml"),
                RULES.replace("${namespace}", isolation.keyPrefix()).replace("${topic}", topic));
        Instant before = Instant.now().minusSeconds(1);
        List<LoggedEvent> log = new ArrayList<>();
        CloudEventJsonParser parser = new CloudEventJsonParser();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 30; i++) {
                for (int version = 1; version <= (i % 3 == 0 ? 2 : 1); version++) {
                    byte[] value = event(version == 2 ? "ended" : "started", "s-" + i, version);
                    producer.send(new ProducerRecord<>(topic, "s-" + i, value)).get();
                    log.add(new LoggedEvent(topic, parser.parse(null, value)));
                }
            }
        }
        try (RedisServer redis = RedisServer.start(RedisServer.Options.defaults())) {
            Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "PROJECTOR_REDIS_URI", redis.uri(), "PROJECTOR_RULES_FILE", rulesFile.toString());
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().flushall();
                RuleEngine engine = new RuleEngine(RulesFileLoader.load(rulesFile));

                Result dryRun = run(env, "--topic", topic, "--from-time", before.toString());
                assertThat(dryRun.exit()).as(dryRun.err()).isZero();
                assertThat(dryRun.out()).contains("dry run: 40 records would be re-applied");
                assertThat(connection.sync().dbsize()).isZero();

                Result replay = run(env, "--topic", topic, "--from-time", before.toString(), "--execute");
                assertThat(replay.exit()).as(replay.err()).isZero();
                // Outcomes may include a few "stale": after the script is first loaded, retried calls can overtake
                // each other, and the fence sorts that out. What matters is the state below.
                assertThat(replay.out()).contains("replayed 40 records").doesNotContain("poison");
                assertThat(RedisSnapshots.read(connection.sync(), engine.layout()))
                        .isEqualTo(new ReferenceProjection(engine).project(log, Instant.now().toEpochMilli()))
                        .hasSize(20);

                Result again = run(env, "--topic", topic, "--from-offset", "0", "--execute");
                // Replaying again writes nothing: each event is a duplicate of itself, or stale behind its own delete.
                assertThat(again.out()).containsPattern("duplicate\\s+30").containsPattern("stale\\s+10").doesNotContain("applied");
            } finally {
                client.shutdown();
            }

            assertThat(run(env, "--topic", "nope", "--from-offset", "0").exit()).isEqualTo(2);
            assertThat(run(env, "--topic", topic).exit()).as("a start is required").isEqualTo(2);
        }
    }

    record Result(int exit, String out, String err) {}

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ErrorHandler.configure(new CommandLine(new ReplayCommand(env)));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static byte[] event(String type, String subject, long version) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + type + "-" + subject + "-" + version + "\",\"type\":\"" + type
                + "\",\"source\":\"/test\",\"subject\":\"" + subject + "\",\"time\":\"" + Instant.now()
                + "\",\"entityversion\":" + version + ",\"data\":{\"device\":\"ios\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
