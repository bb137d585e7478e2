package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.producer.DemoProducer;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.producer.scenario.SessionScenario;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis outage must stall the projector, never grow its heap: with redis-server paused (SIGSTOP) for two minutes
 * while events keep arriving, the projector's heap after a full GC stays under {@link #HEAP_BOUND_BYTES}, the bound
 * documented in README.md ("Operations").
 */
@ExtendWith(DevStackExtension.class)
class BoundedMemoryIT {
    /** The documented bound on the projector's live heap during an outage, with the default in-flight window. */
    static final long HEAP_BOUND_BYTES = 96L * 1024 * 1024;
    private static final Duration PAUSE = Duration.ofSeconds(Long.getLong("cachep.memory.pause.seconds", 120));
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(15);

    @Test
    void shouldKeepTheHeapBoundedWhileRedisIsPausedAndEventsKeepArriving(DevStack stack, TestIsolation isolation,
                                                                        @TempDir Path dir) throws Exception {
        // The session scenario writes to session-events; in this module's test JVM no other test uses that name.
        // Every topic the demo rules read must exist, or Kafka Streams refuses to start.
        TopicSetup.applyDirectory(Map.of("bootstrap.servers", stack.bootstrapServers()), Path.of("..", "topics"));
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()),
                List.of(new TopicSpec(isolation.topic("dlq"), 1, (short) 1, Map.of())));
        Path rules = Files.writeString(dir.resolve("rules.yaml"), Files.readString(Path.of("..", "rules", "demo.yaml"))
                .replace("namespace: demo", "namespace: " + isolation.keyPrefix()));
        AtomicBoolean stop = new AtomicBoolean();
        try (RedisServer redis = RedisServer.start(RedisServer.Options.defaults());
             ProjectorProcess projector = new ProjectorProcess(Map.of(
                     "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(), "PROJECTOR_REDIS_URI", redis.uri(),
                     "PROJECTOR_RULES_FILE", rules.toString(), "PROJECTOR_APPLICATION_ID", isolation.applicationId(),
                     "PROJECTOR_DLQ_TOPIC", isolation.topic("dlq")), dir).start();
             Producer<String, byte[]> producer = DemoProducer.kafkaProducer(stack.bootstrapServers(), "memory-it")) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).failFast(() -> !projector.isAlive())
                    .until(() -> ready(projector) == 200);
            // Sessions, 2,000 events a second, for as long as the test runs.
            CompletableFuture<DemoProducer.Summary> production = CompletableFuture.supplyAsync(() ->
                    new DemoProducer(producer).run(
                            new FaultInjector(new SessionScenario(7, 500, 300), 7, 0, 0, 0), 2000, Duration.ofHours(1), stop::get));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> processed(projector) > 5000);

            redis.pause();
            long peak = 0;
            long deadline = System.nanoTime() + PAUSE.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    long next = System.nanoTime() + SAMPLE_EVERY.toNanos();
                    // The outage lasts a set time: this waits for the clock, sampling at fixed points.
                    Awaitility.await().atMost(SAMPLE_EVERY.plusSeconds(5)).pollInterval(Duration.ofMillis(500))
                            .until(() -> System.nanoTime() >= next);
                    peak = Math.max(peak, projector.heapAfterFullGc());
                }
            } finally {
                redis.resume();
            }
            System.out.printf("bounded memory: heap after GC peaked at %.1f MiB during a %d s Redis pause (bound %d MiB)%n",
                    peak / 1048576.0, PAUSE.toSeconds(), HEAP_BOUND_BYTES / 1048576);
            assertThat(peak).isPositive().isLessThan(HEAP_BOUND_BYTES);

            stop.set(true);
            long produced = production.get(60, TimeUnit.SECONDS).total();
            Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> processed(projector) >= produced);
        }
    }

    private static long processed(ProjectorProcess projector) {
        try {
            return projector.eventCounts().values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static int ready(ProjectorProcess projector) {
        try {
            return projector.get("/ready").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
