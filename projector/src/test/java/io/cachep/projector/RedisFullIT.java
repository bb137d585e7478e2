package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cachep.apply.RedisSnapshots;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.projector.topology.RedisMemoryStall;
import io.cachep.rules.RuleEngine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A Redis that fills up under load (maxmemory reached, noeviction) is a stall, not a stop: the projector keeps the writes in
 * flight and retries them, says {@code DEGRADED: redis out of memory (used/max)} on /ready, dead-letters nothing, and
 * once memory is raised catches up by itself, with Redis equal to the model and no restart. The retry budget is short
 * here, so the stall outlasts it and the stream thread restarts from its last commit, as it would in a long outage.
 */
@ExtendWith(DevStackExtension.class)
class RedisFullIT {
    private static final int SESSIONS = 200;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldStallWhileRedisIsFullAndCatchUpToTheModelWhenMemoryIsRaised(DevStack stack, TestIsolation isolation)
            throws Exception {
        try (RedisServer redisServer = RedisServer.start(RedisServer.Options.defaults()
                     .withExtraArgs("--maxmemory-policy", "noeviction"));
             ProjectorHarness projector = new ProjectorHarness(stack, isolation, ProjectionEndToEndIT.RULES,
                     redisServer.uri(), 2, Map.of("projector.redis.retry.budget.ms", "3000"));
             RedisClient client = RedisClient.create(redisServer.uri());
             StatefulRedisConnection<String, String> admin = client.connect()) {
            Logger stallLog = (Logger) LoggerFactory.getLogger(RedisMemoryStall.class);
            ListAppender<ILoggingEvent> stallLines = new ListAppender<>();
            stallLines.start();
            stallLog.addAppender(stallLines);
            projector.start();
            List<byte[]> sent = new ArrayList<>();
            Instant now = Instant.now();
            sendWave(projector, sent, 1, now);
            projector.awaitProcessed(sent.size());

            // Room for a few hundred more entries, then a wave of thousands: Redis fills up under load.
            long used = Long.parseLong(admin.sync().info("memory").lines().filter(l -> l.startsWith("used_memory:"))
                    .findFirst().orElseThrow().substring("used_memory:".length()).trim());
            admin.sync().configSet("maxmemory", Long.toString(used + 256 * 1024));
            sendWave(projector, sent, 2, now.plusSeconds(1));
            Awaitility.await().atMost(DEADLINE).until(() -> projector.ready().statusCode() == 503);
            assertThat(projector.ready().body()).startsWith("DEGRADED: redis out of memory (used ")
                    .containsPattern("of maxmemory [0-9.]+ MB\\)");
            assertThat(projector.gauge("cachep.redis.out.of.memory")).isEqualTo(1);
            // Past twice the retry budget: the stream thread has restarted from its last commit, the stall goes on.
            Instant stalledSince = Instant.parse(projector.ready().body().replaceAll(".* since ([^;]+);.*", "$1").strip());
            Awaitility.await().atMost(DEADLINE).until(() -> Instant.now().isAfter(stalledSince.plusSeconds(7)));
            assertThat(projector.ready().statusCode()).isEqualTo(503);
            assertThat(projector.app.registry().get("cachep.redis.oom.refusals").counter().count()).isGreaterThan(1);
            assertThat(projector.processed()).as("nothing of the second wave is counted as done").isLessThan(sent.size());
            assertThat(projector.app.metrics().count(ProjectionMetrics.DLQ_OUTCOME)).as("nothing dead-lettered").isZero();
            assertThat(projector.app.fatalFailure()).isEmpty();

            admin.sync().configSet("maxmemory", "0");
            projector.awaitProcessed(sent.size());
            Awaitility.await().atMost(DEADLINE).until(() -> projector.ready().statusCode() == 200);
            assertThat(projector.gauge("cachep.redis.out.of.memory")).isZero();
            assertThat(projector.app.metrics().count(ProjectionMetrics.DLQ_OUTCOME)).isZero();
            assertThat(projector.app.fatalFailure()).isEmpty();
            assertThat(projector.app.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
            assertThat(RedisSnapshots.read(admin.sync(), new RuleEngine(projector.rules).layout()))
                    .isEqualTo(projector.model(sent));
            assertThat(stallLines.list).as("one line when the stall starts and one when it ends, however many refusals")
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .satisfiesExactly(start -> assertThat(start).startsWith("Redis is out of memory"),
                            end -> assertThat(end).startsWith("Redis accepts writes again after"));
            stallLog.detachAppender(stallLines);
        }
    }

    /**
     * Wave 1 starts {@value #SESSIONS} sessions; wave 2 ends the even ones, restarts the odd ones and starts ten times
     * as many new ones, each with a device name of a kilobyte.
     */
    private static void sendWave(ProjectorHarness projector, List<byte[]> sent, int wave, Instant time) throws Exception {
        int sessions = wave == 1 ? SESSIONS : SESSIONS * 11;
        String device = wave == 1 ? "web-1" : "web-2-" + "x".repeat(1024);
        for (int i = 0; i < sessions; i++) {
            String type = wave == 2 && i < SESSIONS && i % 2 == 0 ? ProjectionEndToEndIT.ENDED : ProjectionEndToEndIT.STARTED;
            byte[] event = TestEvents.sessionEvent(type, "s-" + i, wave, time, device);
            projector.send("s-" + i, event);
            sent.add(event);
        }
    }
}
