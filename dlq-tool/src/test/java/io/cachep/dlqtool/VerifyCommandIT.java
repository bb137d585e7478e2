package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.VerificationRecord;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.CloudEventJsonParser;
import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

/**
 * verify against a real broker and redis-server: equal after a faithful projection; then each kind of divergence
 * injected by hand is found and named (a changed field, a missing key, an extra key, a wrong TTL), exit 3.
 */
@ExtendWith(DevStackExtension.class)
class VerifyCommandIT {
    private static final String RULES = """
            namespace: ${namespace}
            rules:
              - name: started
                topic: ${topic}
                type: started
                mutations:
                  - upsert: { key: "session:{subject}", hash: { device: "{data.device}" }, ttl: 1h }
              - name: joined
                topic: ${topic}
                type: joined
                mutations:
                  - set-add: { key: "room:{subject}", member: "{data.user}" }
            """;

    @Test
    void shouldReportEqualThenEveryKindOfDivergenceInjectedByHand(DevStack stack, TestIsolation isolation,
                                                                 @TempDir Path dir) throws Exception {
        String topic = isolation.topic("events");
        String namespace = isolation.keyPrefix();
        Path rulesFile = Files.writeString(dir.resolve("rules.yaml"),
                RULES.replace("${namespace}", namespace).replace("${topic}", topic));
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), List.of(new TopicSpec(topic, 2, (short) 1, Map.of())));
        ProjectionRules rules = RulesFileLoader.load(rulesFile);
        RuleEngine engine = new RuleEngine(rules);
        Instant now = Instant.now();

        RedisClient client = RedisClient.create(stack.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            RedisApplier applier = new RedisApplier(connection.async(), rules.tombstoneRetention(), engine.layout());
            CloudEventJsonParser parser = new CloudEventJsonParser();
            // The log, and a faithful projection of it (what the projector would have written).
            for (int i = 0; i < 5; i++) {
                for (byte[] value : List.of(event("started", "s-" + i, 1, now, "{\"device\":\"ios\"}"),
                        event("joined", "r-" + i, 1, now, "{\"user\":\"u-" + i + "\"}"))) {
                    EventEnvelope envelope = parser.parse(null, value);
                    producer.send(new ProducerRecord<>(topic, envelope.subject(), value)).get();
                    applier.apply(EventStamp.of(envelope), engine.project(topic, envelope)).get();
                }
            }
            Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "PROJECTOR_REDIS_URI", stack.redisUri(), "PROJECTOR_RULES_FILE", rulesFile.toString());

            Result equal = verify(env);
            assertThat(equal.exit()).as(equal.err()).isZero();
            assertThat(equal.out()).contains("EQUAL").contains("entries the log implies").contains("10");

            RedisCommands<String, String> redis = connection.sync();
            redis.hset(namespace + ":session:{s-0}", "device", "tampered");
            redis.del(namespace + ":session:{s-1}");
            redis.set(namespace + ":session:{ghost}", "left over");
            redis.pexpire(namespace + ":session:{s-2}", 5_000_000);
            redis.srem(namespace + ":room:{r-0}", "u-0");
            redis.sadd(namespace + ":room:{r-1}", "intruder");

            Result divergent = verify(env);
            assertThat(divergent.exit()).isEqualTo(3);
            assertThat(divergent.out()).contains("DIVERGENT: 6 entries differ");
            assertThat(divergent.out()).contains("DIFFERENT_VALUE").contains(namespace + ":session:{s-0}");
            assertThat(divergent.out()).contains("MISSING").contains(namespace + ":session:{s-1}");
            assertThat(divergent.out()).contains("EXTRA").contains(namespace + ":session:{ghost}");
            assertThat(divergent.out()).contains("DIFFERENT_EXPIRY").contains(namespace + ":session:{s-2}");
            assertThat(divergent.out()).contains("DIFFERENT_MEMBERS").contains(namespace + ":room:{r-0}");
            assertThat(VerificationRecord.divergent(redis, engine.layout())).hasValue(6);

            Result json = verify(env, "-o", "json");
            List<String> lines = json.out().lines().toList();
            assertThat(lines).hasSize(7);
            assertThat(lines.subList(0, 6)).allSatisfy(line -> assertThat(line).startsWith("{\"kind\":"));
            assertThat(lines.get(6)).startsWith("{\"summary\":{\"result\":\"DIVERGENT\"")
                    .contains("\"entries\":10").contains("\"divergent\":6")
                    .contains("\"missing\":2") // session s-1, and room r-0 (its only member removed: Redis drops the set)
                    .contains("\"extra\":1");

            Result dryRepair = verify(env, "--repair");
            assertThat(dryRepair.exit()).isEqualTo(3);
            assertThat(dryRepair.err()).contains("dry run: 6 entries would be repaired");

            Result repaired = verify(env, "--repair", "--execute");
            assertThat(repaired.exit()).as(repaired.out() + repaired.err()).isZero();
            assertThat(repaired.err()).contains("repaired 6 entries");
            assertThat(redis.hget(namespace + ":session:{s-0}", "device")).isEqualTo("ios");
            assertThat(redis.exists(namespace + ":session:{ghost}")).isZero();
            assertThat(verify(env).exit()).isZero();
        } finally {
            client.shutdown();
        }
    }

    /**
     * With --state-dir the model outlives the run: a second run reads only the records added since and still judges
     * every entry (an event newer than Redis shows as divergent, its repair fixes it), and a changed rules file starts
     * the state over.
     */
    @Test
    void shouldKeepTheModelInAStateDirAndReadOnlyTheLogAddedSince(DevStack stack, TestIsolation isolation,
                                                                  @TempDir Path dir) throws Exception {
        String topic = isolation.topic("events");
        String namespace = isolation.keyPrefix();
        Path rulesFile = Files.writeString(dir.resolve("rules.yaml"),
                RULES.replace("${namespace}", namespace).replace("${topic}", topic));
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), List.of(new TopicSpec(topic, 2, (short) 1, Map.of())));
        Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "PROJECTOR_REDIS_URI", stack.redisUri(), "PROJECTOR_RULES_FILE", rulesFile.toString());
        String state = dir.resolve("state").toString();
        Instant now = Instant.now();
        RedisClient client = RedisClient.create(stack.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, "s-" + i, event("started", "s-" + i, 1, now, "{\"device\":\"ios\"}"))).get();
            }
            Result first = verify(env, "--state-dir", state, "--repair", "--execute");
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.err()).contains("reading the log: 20/20").contains("repaired 20 entries");

            producer.send(new ProducerRecord<>(topic, "s-3", event("started", "s-3", 2, now, "{\"device\":\"web\"}"))).get();
            Result second = verify(env, "--state-dir", state);
            assertThat(second.err()).contains("resuming the state in").contains("reading the log: 1/1");
            assertThat(second.exit()).as(second.out()).isEqualTo(3);
            assertThat(second.out()).contains("DIFFERENT_VALUE").contains(namespace + ":session:{s-3}")
                    .contains("DIVERGENT: 1 entries differ");

            Result repaired = verify(env, "--state-dir", state, "--repair", "--execute");
            assertThat(repaired.exit()).as(repaired.err()).isZero();
            assertThat(repaired.err()).contains("reading the log: 0, ").contains("repaired 1 entries");
            assertThat(connection.sync().hget(namespace + ":session:{s-3}", "device")).isEqualTo("web");

            Files.writeString(rulesFile, Files.readString(rulesFile).replace("ttl: 1h", "ttl: 2h"));
            Result changed = verify(env, "--state-dir", state);
            assertThat(changed.err()).contains("was built for another namespace or rules file: starting over")
                    .contains("reading the log: 21/21");
            assertThat(changed.out()).contains("DIFFERENT_EXPIRY");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void shouldRefuseANamespaceOtherThanTheRulesFiles(DevStack stack, TestIsolation isolation, @TempDir Path dir) throws Exception {
        Path rulesFile = Files.writeString(dir.resolve("rules.yaml"),
                RULES.replace("${namespace}", isolation.keyPrefix()).replace("${topic}", isolation.topic("events")));
        Result result = verify(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "PROJECTOR_RULES_FILE", rulesFile.toString()), "--namespace", "other");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--namespace other is not the rules file's namespace");
    }

    record Result(int exit, String out, String err) {}

    private static Result verify(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ErrorHandler.configure(new CommandLine(new VerifyCommand(env)));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static byte[] event(String type, String subject, long version, Instant time, String data) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + type + "-" + subject + "-" + version + "\",\"type\":\"" + type
                + "\",\"source\":\"/test\",\"subject\":\"" + subject + "\",\"time\":\"" + time + "\",\"entityversion\":"
                + version + ",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }
}
