package io.cachep.dlqtool;

import static io.cachep.dlqtool.ConvergenceChecks.awaitEqual;
import static io.cachep.dlqtool.ConvergenceChecks.awaitHandled;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisTarget;
import io.cachep.apply.RedisTarget.Primary;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.dlqtool.dlq.DlqReplayCommand;
import io.cachep.projector.ProjectorApp;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.SlotTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands on six real Redis Cluster nodes (three primaries, a replica each) beside a real broker and
 * projector, with rules that tag entries, invalidate tags and write two slots per event: {@code verify} finds damage on
 * every primary, {@code verify --repair --execute} mends it, {@code replay --execute} refills a cluster that lost
 * everything, {@code status} runs, and dead letters replayed with {@code dlq replay --execute} land on the cluster.
 * Equal means equal to the reference model of the log, which is what verify compares with.
 */
@ExtendWith(DevStackExtension.class)
class ClusterOperatorIT {
    private static RedisCluster cluster;

    /** One cluster for the class (DevStackExtension starts it, and closes it when the class is done). */
    @BeforeAll
    static void startCluster(RedisCluster given) {
        cluster = given;
    }

    @Test
    void shouldVerifyRepairAndReplayOnEveryPrimary(DevStack stack, TestIsolation isolation, @TempDir Path dir)
            throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, RebuildBesideProjectorIT.FIXED_RULES, 3, 1)
                .onCluster(cluster.uri());
        Map<String, String> env = deployment.env();
        KeyLayout live = new KeyLayout(deployment.namespace());
        try (RedisTarget redis = deployment.redis();
             KafkaProducer<String, byte[]> producer = producer(stack)) {
            try (ProjectorApp projector = deployment.projector()) {
                projector.start();
                ItemEvents events = new ItemEvents(deployment.topic(), new Random(12));
                long sent = send(producer, events, 600);
                sent += send(producer, List.of(events.flush("t-1")));
                sent += send(producer, events, 300);
                awaitHandled(projector, sent);

                Result equal = awaitEqual(env);
                assertThat(equal.exit()).as(equal.both()).isZero();
                assertThat(equal.out()).contains("EQUAL").containsPattern("entries the log implies\\s+[1-9]\\d{2}");

                // Damage on each of the three primaries: a changed field, a lost entry, a key nobody wrote.
                List<Primary> primaries = redis.primariesWithSlotsNow();
                assertThat(primaries).hasSize(3);
                String changed = existingItemOn(redis, live, primaries.get(0));
                String lost = existingItemOn(redis, live, primaries.get(1));
                String ghost = keyOn(live, "ghost:{g-%d}", primaries.get(2));
                redis.sync().hset(changed, "name", "tampered");
                redis.sync().del(lost); // its fence still says it is there
                redis.sync().set(ghost, "written by hand");

                Result divergent = CliRun.run(new VerifyCommand(env));
                assertThat(divergent.exit()).as(divergent.both()).isEqualTo(ExitCodes.PARTIAL);
                assertThat(divergent.out()).contains("DIVERGENT: 3 entries differ")
                        .contains("DIFFERENT_VALUE").contains(changed)
                        .contains("MISSING").contains(lost)
                        .contains("EXTRA").contains(ghost);

                Result repaired = CliRun.run(new VerifyCommand(env), "--repair", "--execute");
                assertThat(repaired.exit()).as(repaired.both()).isZero();
                assertThat(repaired.err()).contains("repaired 3 entries");
                assertThat(redis.sync().hget(changed, "name")).isNotEqualTo("tampered");
                assertThat(redis.sync().exists(lost)).as("the lost entry is back").isOne();
                assertThat(redis.sync().exists(ghost)).as("the ghost is gone").isZero();
                Result mended = awaitEqual(env);
                assertThat(mended.exit()).as(mended.both()).isZero();

                Result status = CliRun.run(new StatusCommand(env));
                assertThat(status.exit()).as(status.both()).isZero();
                assertThat(status.out()).contains(deployment.applicationId());
            }

            // Every primary loses everything (the replicas follow); the projector is stopped, the log is not.
            redis.primariesWithSlotsNow().forEach(primary -> primary.commands().flushall());
            Result empty = CliRun.run(new VerifyCommand(env));
            assertThat(empty.exit()).as(empty.both()).isEqualTo(ExitCodes.PARTIAL);
            assertThat(empty.out()).contains("MISSING");

            Result replayed = CliRun.run(new ReplayCommand(env), "--topic", deployment.topic(), "--from-offset", "0",
                    "--execute");
            assertThat(replayed.exit()).as(replayed.both()).isZero();
            assertThat(replayed.out()).contains("through the fenced apply").contains("applied");
            Result refilled = CliRun.run(new VerifyCommand(env));
            assertThat(refilled.exit()).as(refilled.both()).isZero();
            assertThat(refilled.out()).contains("EQUAL");
        }
    }

    @Test
    void shouldLandReplayedDeadLettersOnTheCluster(DevStack stack, TestIsolation isolation, @TempDir Path dir)
            throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, TestDeployment.SESSION_RULES, 2, 1)
                .onCluster(cluster.uri());
        Map<String, String> env = deployment.env();
        int letters = 12; // twelve hash tags: every primary gets some
        List<ProducerRecord<byte[], byte[]>> renamed = new ArrayList<>();
        for (int i = 0; i < letters; i++) {
            renamed.add(deployment.event("renamed", "u-" + i, "{\"name\":\"n" + i + "\"}"));
        }
        deployment.send(renamed.toArray(ProducerRecord[]::new));
        try (ProjectorApp first = deployment.projector()) {
            first.start();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> first.metrics().count(ProjectionMetrics.DLQ_OUTCOME) == letters);
        }

        deployment.writeRules(TestDeployment.SESSION_RULES + """
                  - name: renamed
                    topic: ${topic}
                    type: renamed
                    mutations:
                      - upsert: { key: "name:{subject}", hash: { name: "{data.name}" } }
                """);
        KeyLayout live = new KeyLayout(deployment.namespace());
        try (ProjectorApp second = deployment.projector(); RedisTarget redis = deployment.redis()) {
            second.start();
            Result replay = CliRun.run(new DlqReplayCommand(env), "--execute");
            assertThat(replay.exit()).as(replay.both()).isZero();
            assertThat(replay.out()).containsPattern("replayed\\s+" + letters);

            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (int i = 0; i < letters; i++) {
                    assertThat(redis.sync().hget(live.entry("name:{u-" + i + "}").data(), "name")).isEqualTo("n" + i);
                }
            });
            assertThat(redis.primariesWithSlotsNow()).as("the letters spread over every primary")
                    .allSatisfy(primary -> assertThat(primary.commands().keys(live.scanPattern())).isNotEmpty());
            Result equal = awaitEqual(env);
            assertThat(equal.exit()).as(equal.both()).isZero();
        }
    }

    /** An item's data key that exists now and hashes to a slot of {@code primary}. */
    private static String existingItemOn(RedisTarget redis, KeyLayout live, Primary primary) {
        for (int i = 0; i < ItemEvents.ITEMS; i++) {
            String key = live.entry("item:{i-" + i + "}").data();
            if (primary.slots().contains(SlotTokens.slotOf(key)) && redis.sync().exists(key) == 1) {
                return key;
            }
        }
        throw new AssertionError("no item lives on " + primary.nodeId());
    }

    /** The first key of {@code template} ({@code %d} for a number) that hashes to a slot of {@code primary}. */
    static String keyOn(KeyLayout live, String template, Primary primary) {
        for (int i = 0; ; i++) {
            String key = live.entry(template.formatted(i)).data();
            if (primary.slots().contains(SlotTokens.slotOf(key))) {
                return key;
            }
        }
    }

    static KafkaProducer<String, byte[]> producer(DevStack stack) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Sends {@code count} rounds of {@link ItemEvents#next}; the records sent. */
    static long send(KafkaProducer<String, byte[]> producer, ItemEvents events, int count) throws Exception {
        long sent = 0;
        for (int i = 0; i < count; i++) {
            sent += send(producer, events.next());
        }
        return sent;
    }

    static long send(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records) throws Exception {
        for (ProducerRecord<String, byte[]> record : records) {
            producer.send(record).get();
        }
        return records.size();
    }
}
