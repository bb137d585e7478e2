package io.cachep.projector;

import static io.cachep.projector.TestEvents.sessionEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/projector} as a user runs it: a separate process configured only by {@code PROJECTOR_*} environment
 * variables, pointed at a Kafka and a Redis it knows nothing else about; stopped by SIGTERM, it exits cleanly.
 */
@ExtendWith(DevStackExtension.class)
class ProjectorLauncherIT {

    @Test
    void shouldProjectEventsWhenConfiguredOnlyThroughTheEnvironment(DevStack stack, TestIsolation isolation,
                                                                   @TempDir Path dir) throws Exception {
        String topic = isolation.topic("session-events");
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, ProjectionEndToEndIT.RULES.replace("${topic}", topic)
                .replace("${namespace}", isolation.keyPrefix()));
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), List.of(
                new TopicSpec(topic, 1, (short) 1, Map.of()), new TopicSpec(isolation.topic("dlq"), 1, (short) 1, Map.of())));

        ProcessBuilder builder = new ProcessBuilder(Path.of("..", "bin", "projector").toAbsolutePath().normalize().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("projector.log").toFile());
        builder.environment().put("CACHEP_NO_BUILD", "1");
        builder.environment().put("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        builder.environment().put("PROJECTOR_REDIS_URI", stack.redisUri());
        builder.environment().put("PROJECTOR_RULES_FILE", rules.toString());
        builder.environment().put("PROJECTOR_APPLICATION_ID", isolation.applicationId());
        builder.environment().put("PROJECTOR_DLQ_TOPIC", isolation.topic("dlq"));
        builder.environment().put("PROJECTOR_HTTP_PORT", "0");
        Process projector = builder.start();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
             RedisClient client = RedisClient.create(stack.redisUri());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            producer.send(new ProducerRecord<>(topic, "s-1",
                    sessionEvent(ProjectionEndToEndIT.STARTED, "s-1", 1, Instant.now(), "ios"))).get();

            String key = isolation.keyPrefix() + ":session:{s-1}";
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .failFast("bin/projector exited", () -> !projector.isAlive())
                    .until(() -> "ios".equals(redis.sync().hget(key, "device")));
        } finally {
            projector.destroy(); // SIGTERM: the shutdown hook closes Kafka Streams and Redis
            boolean exited = projector.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                projector.destroyForcibly();
            }
            assertThat(exited).as("bin/projector stops within 60 s of SIGTERM").isTrue();
        }
        String log = Files.readString(dir.resolve("projector.log"));
        assertThat(log).contains("effective configuration").contains("projector started");
    }
}
