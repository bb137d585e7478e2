package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.devstack.KafkaBroker;
import io.cachep.devstack.RedisServer;
import io.cachep.envelope.CloudEventReader;
import io.cachep.errors.PoisonEventException;
import io.cachep.producer.scenario.DemoEvent;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.producer.scenario.ScenarioSizes;
import io.cachep.producer.scenario.Scenarios;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.ProducerSettings;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.cachep.topics.TopicSpecLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos against the model. The demo's mixed scenario (duplicates, reordering, poison) flows through a real broker,
 * {@code bin/projector} and a real redis-server while the test pauses Redis past the command timeout, kills it with
 * {@code kill -9} and restarts it on its AOF, kills the projector with {@code kill -9} twice, and restarts the
 * broker. At the end Redis equals the reference projection of every non-poison event, every poison record is in
 * the DLQ, and a replay of the whole log by a fresh projector writes nothing and counts exactly what was produced.
 */
class ChaosIT {
    private static final int STEPS = Integer.getInteger("cachep.chaos.events", 200_000);
    private static final double RATE = 6000;
    private static final String APP = "chaos";
    private static final String DLQ = "cachep-dlq";

    @Test
    void shouldEndEqualToTheModelThroughRedisOutagesProjectorCrashesAndABrokerRestart(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults());
             RedisServer redis = RedisServer.start(RedisServer.Options.defaults()
                     .withExtraArgs("--appendonly", "yes", "--appendfsync", "always"))) {
            String bootstrap = broker.bootstrapServers();
            List<TopicSpec> topics = new ArrayList<>();
            for (TopicSpec spec : TopicSpecLoader.load(Path.of("..", "topics"))) {
                Map<String, String> configs = new HashMap<>(spec.configs());
                configs.put("max.message.bytes", "3000000"); // the poison catalogue has a value over 1 MiB
                topics.add(new TopicSpec(spec.name(), spec.partitions(), spec.replicationFactor(), configs));
            }
            TopicSetup.apply(Map.of("bootstrap.servers", bootstrap), topics);
            Path rulesFile = Files.writeString(dir.resolve("rules.yaml"),
                    Files.readString(Path.of("..", "rules", "demo.yaml")).replace("namespace: demo", "namespace: chaos"));
            ProjectionRules rules = RulesFileLoader.load(rulesFile);
            Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "PROJECTOR_REDIS_URI", redis.uri(), "PROJECTOR_RULES_FILE", rulesFile.toString(),
                    "PROJECTOR_APPLICATION_ID", APP, "PROJECTOR_REDIS_COMMAND_TIMEOUT_MS", "1000",
                    "PROJECTOR_KAFKA_COMMIT_INTERVAL_MS", "500");

            Production production = new Production(bootstrap);
            try (ProjectorProcess projector = new ProjectorProcess(env, dir).start()) {
                awaitReady(projector);
                production.start();
                production.awaitFraction(0.15);
                redis.pause();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> readyStatus(projector) == 503);
                redis.resume();

                production.awaitFraction(0.30);
                projector.kill();
                projector.start();
                awaitReady(projector);

                production.awaitFraction(0.45);
                redis.kill();
                redis.restart();

                production.awaitFraction(0.60);
                broker.restart();

                production.awaitFraction(0.75);
                projector.kill();
                projector.start();
                awaitReady(projector);

                production.awaitDone();
                try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                    Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> caughtUp(admin, APP, rules.topics()));
                }
                assertThat(projector.stop()).as("a clean stop after the chaos").isZero();
            }

            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RuleEngine engine = new RuleEngine(rules);
                var expected = new ReferenceProjection(engine).project(production.log, Instant.now().toEpochMilli());
                assertThat(expected).as("the scenario produced entries").hasSizeGreaterThan(1000);
                assertThat(RedisSnapshots.read(connection.sync(), engine.layout())).isEqualTo(expected);

                Map<String, Integer> deadLetters = deadLetterKeys(bootstrap);
                assertThat(deadLetters.keySet()).as("every poison record is in the DLQ, and nothing else")
                        .isEqualTo(production.poisonKeys);
                long repeated = deadLetters.values().stream().mapToInt(n -> n - 1).sum();
                System.out.printf("chaos: %d records produced, %d poison, %d dead letters repeated after projector kills%n",
                        production.sent.get(), production.poisonKeys.size(), repeated);

                // A fresh projector replaying the whole log finds nothing to write, and its counts add up.
                Map<String, String> replayEnv = new HashMap<>(env);
                replayEnv.put("PROJECTOR_APPLICATION_ID", APP + "-replay");
                replayEnv.put("PROJECTOR_DLQ_TOPIC", DLQ + "-replay");
                TopicSetup.apply(Map.of("bootstrap.servers", bootstrap), List.of(new TopicSpec(DLQ + "-replay", 1, (short) 1,
                        Map.of("max.message.bytes", "3000000"))));
                try (ProjectorProcess replay = new ProjectorProcess(replayEnv, dir).start();
                     Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                    Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> caughtUp(admin, APP + "-replay", rules.topics()));
                    Map<String, Long> counts = replay.eventCounts();
                    long total = counts.values().stream().mapToLong(Long::longValue).sum();
                    assertThat(total).as("outcomes %s", counts).isEqualTo(production.sent.get());
                    assertThat(counts.getOrDefault("applied", 0L)).as("outcomes %s", counts).isZero();
                    assertThat(counts.getOrDefault("dlq", 0L)).isEqualTo(production.poisonKeys.size());
                    replay.stop();
                }
                assertThat(RedisSnapshots.read(connection.sync(), engine.layout())).isEqualTo(expected);
            } finally {
                client.shutdown();
            }
        }
    }

    /** A projector that starts while Redis is down exits at once, so each start waits until it is ready. */
    private static void awaitReady(ProjectorProcess projector) {
        Awaitility.await().atMost(Duration.ofSeconds(90))
                .failFast("bin/projector exited", () -> !projector.isAlive())
                .until(() -> readyStatus(projector) == 200);
    }

    private static int readyStatus(ProjectorProcess projector) {
        try {
            return projector.get("/ready").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** True when the group's committed offsets have reached the end of every partition of the topics. */
    private static boolean caughtUp(Admin admin, String group, Set<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        var ends = admin.listOffsets(latest).all().get();
        return ends.entrySet().stream().allMatch(e -> {
            OffsetAndMetadata c = committed.get(e.getKey());
            return e.getValue().offset() == 0 || (c != null && c.offset() >= e.getValue().offset());
        });
    }

    private static Map<String, Integer> deadLetterKeys(String bootstrap) {
        Map<String, Integer> keys = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "chaos-dlq-reader", "auto.offset.reset", "earliest", "max.partition.fetch.bytes", 4_000_000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(DLQ));
            int[] idle = {0};
            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    keys.merge(record.key(), 1, Integer::sum);
                }
                idle[0] = records.isEmpty() ? idle[0] + 1 : 0;
                return idle[0] >= 4 && !keys.isEmpty();
            });
        }
        return keys;
    }

    /** Produces the scenario at a steady rate on a thread of its own, remembering what it sent. */
    private static final class Production {
        final List<LoggedEvent> log = Collections.synchronizedList(new ArrayList<>());
        final Set<String> poisonKeys = Collections.synchronizedSet(new HashSet<>());
        final AtomicInteger sent = new AtomicInteger();
        private final AtomicInteger steps = new AtomicInteger();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final String bootstrap;
        private Thread thread;

        Production(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        void start() {
            thread = new Thread(this::run, "chaos-producer");
            thread.start();
        }

        private void run() {
            long seed = System.nanoTime();
            FaultInjector events = new FaultInjector(Scenarios.create("mixed", seed, new ScenarioSizes(2000, 1500, 5)),
                    seed, 0.05, 0.05, 0.01);
            CloudEventReader reader = new CloudEventReader();
            // cachep's producer settings, as producer-demo's: this producer goes through the broker's restart.
            Map<String, Object> settings = new HashMap<>(ProducerSettings.lossless());
            settings.putAll(Map.of("bootstrap.servers", bootstrap, "linger.ms", 10, "max.request.size", 3_000_000,
                    "delivery.timeout.ms", 300_000));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(),
                    new ByteArraySerializer())) {
                long started = System.nanoTime();
                for (int step = 0; step < STEPS; step++) {
                    long due = started + (long) (step * 1e9 / RATE);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    List<DemoEvent> batch = new ArrayList<>(events.next(Instant.now()));
                    if (step == STEPS - 1) {
                        batch.addAll(events.drain());
                    }
                    for (DemoEvent event : batch) {
                        send(producer, reader, event);
                    }
                    steps.incrementAndGet();
                }
                producer.flush();
            } catch (Exception e) {
                failure.set(e);
            }
        }

        private void send(KafkaProducer<String, byte[]> producer, CloudEventReader reader, DemoEvent event) {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), event.value()), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
            sent.incrementAndGet();
            if (event.isPoison()) {
                poisonKeys.add(event.key());
                return;
            }
            try {
                log.add(new LoggedEvent(event.topic(), reader.read(event.key().getBytes(StandardCharsets.UTF_8), event.value(), null)));
            } catch (PoisonEventException e) {
                throw new AssertionError("the scenario produced an unreadable event that is not marked poison", e);
            }
        }

        void awaitFraction(double fraction) {
            Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> {
                rethrow();
                return steps.get() >= STEPS * fraction;
            });
        }

        void awaitDone() throws Exception {
            thread.join(Duration.ofMinutes(5).toMillis());
            rethrow();
            assertThat(thread.isAlive()).as("the producer finished").isFalse();
        }

        private void rethrow() throws Exception {
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }
}
