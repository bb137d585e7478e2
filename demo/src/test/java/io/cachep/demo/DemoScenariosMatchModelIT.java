package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.CloudEventReader;
import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.producer.DemoProducer;
import io.cachep.producer.scenario.DemoEvent;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.producer.scenario.ScenarioSizes;
import io.cachep.producer.scenario.Scenarios;
import io.cachep.projector.ProjectorApp;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.cachep.topics.TopicSpecLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's rules and scenarios end to end, through a real broker, the real projector and a real redis-server:
 * sessions, profiles, rooms and tenant flushes, with duplicates, reordering and poison, end with Redis equal to the
 * reference projection of everything produced.
 */
@ExtendWith(DevStackExtension.class)
class DemoScenariosMatchModelIT {
    private static final List<String> TOPICS = List.of("session-events", "profile-events", "room-events", "tenant-events");
    private static final int STEPS = 4000;

    @Test
    void shouldEndWithRedisEqualToTheReferenceProjectionOfEverythingProduced(DevStack stack, TestIsolation isolation,
                                                                             @TempDir Path dir) throws Exception {
        String rulesText = Files.readString(Path.of("..", "rules", "demo.yaml"))
                .replace("namespace: demo", "namespace: " + isolation.keyPrefix());
        for (String topic : TOPICS) {
            rulesText = rulesText.replace("topic: " + topic, "topic: " + isolation.topic(topic));
        }
        Path rulesFile = Files.writeString(dir.resolve("rules.yaml"), rulesText);
        ProjectionRules rules = RulesFileLoader.load(rulesFile);
        // The repository's topic configs: the too-large poison needs their max.message.bytes.
        Map<String, TopicSpec> specs = TopicSpecLoader.load(Path.of("..", "topics")).stream()
                .collect(Collectors.toMap(TopicSpec::name, spec -> spec));
        List<TopicSpec> topics = new ArrayList<>();
        TOPICS.forEach(t -> topics.add(new TopicSpec(isolation.topic(t), 3, (short) 1, specs.get(t).configs())));
        topics.add(new TopicSpec(isolation.topic("dlq"), 1, (short) 1, specs.get("cachep-dlq").configs()));
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), topics);
        RuleEngine engine = new RuleEngine(rules);
        int maxEventBytes = (Integer) ProjectorConfig.DEFINITION.defaultValues().get(ProjectorConfig.MAX_EVENT_BYTES_CONFIG);

        long seed = System.nanoTime();
        FaultInjector events = new FaultInjector(Scenarios.create("mixed", seed, new ScenarioSizes(60, 40, 3)),
                seed, 0.05, 0.05, 0.01);
        List<LoggedEvent> log = new ArrayList<>();
        CloudEventReader reader = new CloudEventReader();
        int sent = 0;
        int poison = 0;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                "acks", "all", "linger.ms", 5, "max.request.size", DemoProducer.MAX_REQUEST_BYTES),
                new StringSerializer(), new ByteArraySerializer())) {
            List<DemoEvent> batch = new ArrayList<>();
            for (int i = 0; i < STEPS; i++) {
                batch.addAll(events.next(Instant.now()));
            }
            batch.addAll(events.drain());
            for (DemoEvent event : batch) {
                String topic = isolation.topic(event.topic());
                sends.add(producer.send(new ProducerRecord<>(topic, event.key(), event.value())));
                sent++;
                if (event.value().length > maxEventBytes) {
                    poison++; // the projector dead-letters it unread; the model leaves it out
                    continue;
                }
                try {
                    EventEnvelope envelope = reader.read(event.key().getBytes(), event.value(), null);
                    engine.project(topic, envelope);
                    log.add(new LoggedEvent(topic, envelope));
                } catch (PoisonEventException e) {
                    poison++; // the projector dead-letters it; the model leaves it out
                }
            }
            producer.flush();
        }
        for (Future<RecordMetadata> send : sends) {
            send.get(); // every record, the too-large poison included, is on its topic
        }

        ProjectorConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), Map.of(
                ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProjectorConfig.REDIS_URI_CONFIG, stack.redisUri(),
                ProjectorConfig.RULES_FILE_CONFIG, rulesFile.toString(),
                ProjectorConfig.APPLICATION_ID_CONFIG, isolation.applicationId(),
                ProjectorConfig.DLQ_TOPIC_CONFIG, isolation.topic("dlq"),
                ProjectorConfig.HTTP_PORT_CONFIG, "0"));
        int produced = sent;
        int deadLettered = poison;
        try (ProjectorApp projector = ProjectorApp.create(config, rules);
             RedisClient client = RedisClient.create(stack.redisUri());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            projector.start();
            Awaitility.await().atMost(Duration.ofSeconds(120))
                    .until(() -> CatchUp.processed(projector.metrics()) >= produced);

            Map<String, EntrySnapshot> expected = new ReferenceProjection(new RuleEngine(rules))
                    .project(log, Instant.now().toEpochMilli());
            Map<String, EntrySnapshot> actual = RedisSnapshots.read(redis.sync(), new RuleEngine(rules).layout());
            assertThat(expected).as("the scenario produced entries of every kind").hasSizeGreaterThan(50);
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
            assertThat(projector.metrics().count(ProjectionMetrics.DLQ_OUTCOME)).isEqualTo(deadLettered);
        }
    }
}
