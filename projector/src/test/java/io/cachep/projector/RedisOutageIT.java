package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.rules.RuleEngine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bad day for Redis: paused past the command timeout, then killed with {@code kill -9} and restarted on its AOF.
 * The projector stalls instead of losing or skipping, says DEGRADED on /ready and in its metrics, resumes on its own,
 * and ends with Redis equal to the reference projection of every event.
 */
@ExtendWith(DevStackExtension.class)
class RedisOutageIT {
    private static final int SESSIONS = 150;

    @Test
    void shouldStallWhileRedisIsDownAndCatchUpToTheModelWhenItComesBack(DevStack stack, TestIsolation isolation) throws Exception {
        try (RedisServer redisServer = RedisServer.start(RedisServer.Options.defaults()
                     .withExtraArgs("--appendonly", "yes", "--appendfsync", "always"));
             ProjectorHarness projector = new ProjectorHarness(stack, isolation, ProjectionEndToEndIT.RULES,
                     redisServer.uri(), 3, Map.of("projector.redis.command.timeout.ms", "500"));
             RedisClient client = RedisClient.create(redisServer.uri())) {
            projector.start();
            List<byte[]> sent = new ArrayList<>();
            Instant now = Instant.now();
            sendWave(projector, sent, 1, now);
            projector.awaitProcessed(sent.size());
            assertThat(projector.ready().statusCode()).isEqualTo(200);

            redisServer.pause(); // SIGSTOP: connections hang, commands time out
            try {
                sendWave(projector, sent, 2, now.plusSeconds(1));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> projector.ready().statusCode() == 503);
                assertThat(projector.ready().body()).startsWith("DEGRADED: redis unreachable since ");
                assertThat(projector.gauge("cachep.redis.up")).isZero();
                assertThat(projector.processed()).as("nothing of the second wave is counted as done").isLessThan(sent.size());
            } finally {
                redisServer.resume();
            }
            projector.awaitProcessed(sent.size());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> projector.ready().statusCode() == 200);

            sendWave(projector, sent, 3, now.plusSeconds(2));
            redisServer.kill(); // kill -9 while the third wave is on its way
            redisServer.restart();
            projector.awaitProcessed(sent.size());

            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                assertThat(RedisSnapshots.read(redis.sync(), new RuleEngine(projector.rules).layout()))
                        .isEqualTo(projector.model(sent));
            }
        }
    }

    /** Wave 1 starts every session, wave 2 ends the even ones, wave 3 restarts them (new versions). */
    private static void sendWave(ProjectorHarness projector, List<byte[]> sent, int wave, Instant time) throws Exception {
        for (int i = 0; i < SESSIONS; i++) {
            if (wave > 1 && i % 2 == 1) {
                continue;
            }
            String type = wave == 2 ? ProjectionEndToEndIT.ENDED : ProjectionEndToEndIT.STARTED;
            byte[] event = TestEvents.sessionEvent(type, "s-" + i, wave, time, "web-" + wave);
            projector.send("s-" + i, event);
            sent.add(event);
        }
    }
}
