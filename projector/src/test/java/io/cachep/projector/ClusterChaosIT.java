package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.CloudEventJsonParser;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The projector on a real Redis Cluster (three primaries, a replica each) while a primary is killed with SIGKILL in
 * the middle of a stream of events: its replica takes over, the projector retries what failed as transient (nothing
 * dead-lettered, nothing skipped), the killed node is restarted and rejoins as a replica, and Redis ends equal to the
 * model of every event sent.
 */
@ExtendWith(DevStackExtension.class)
class ClusterChaosIT {
    private static final int SESSIONS = 400;
    private static final Duration FAILOVER = Duration.ofSeconds(60);

    @Test
    void shouldEndEqualToTheModelAfterAPrimaryIsKilledUnderLoad(DevStack stack, TestIsolation isolation) throws Exception {
        try (RedisCluster cluster = RedisCluster.start(RedisCluster.Options.defaults());
             ProjectorHarness projector = new ProjectorHarness(stack, isolation, ProjectionEndToEndIT.RULES,
                     cluster.uri(), 3, Map.of("projector.redis.cluster", "true",
                             "projector.redis.command.timeout.ms", "1000"))) {
            projector.start();
            List<byte[]> sent = new ArrayList<>();
            Instant now = Instant.now();
            sendWave(projector, sent, 1, now);
            projector.awaitProcessed(sent.size());

            Thread writer = new Thread(() -> {
                try {
                    sendWave(projector, sent, 2, now.plusSeconds(1));
                    sendWave(projector, sent, 3, now.plusSeconds(2));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "cluster-chaos-writer");
            writer.start();
            RedisServer victim = cluster.primaries().get(0);
            victim.kill();
            cluster.awaitHealthy(FAILOVER);
            writer.join(FAILOVER.toMillis());
            assertThat(writer.isAlive()).isFalse();
            victim.restart();
            cluster.awaitHealthy(FAILOVER);

            projector.awaitProcessed(sent.size());
            assertThat(projector.app.metrics().count(ProjectionMetrics.DLQ_OUTCOME)).as("nothing dead-lettered").isZero();
            assertThat(projector.app.fatalFailure()).isEmpty();
            Map<String, ?> expected = model(projector, sent);
            Map<String, ?> actual = RedisSnapshots.read(projector.redisTarget(), new RuleEngine(projector.rules).layout());
            java.util.Set<String> missing = new java.util.TreeSet<>(expected.keySet());
            missing.removeAll(actual.keySet());
            java.util.Set<String> extra = new java.util.TreeSet<>(actual.keySet());
            extra.removeAll(expected.keySet());
            java.util.Set<String> different = new java.util.TreeSet<>();
            expected.forEach((k, v) -> { if (actual.containsKey(k) && !actual.get(k).equals(v)) different.add(k + ": " + actual.get(k) + " vs " + v); });
            assertThat(missing).as("missing (%d of %d)", missing.size(), expected.size()).isEmpty();
            assertThat(extra).as("extra").isEmpty();
            assertThat(different).as("different").isEmpty();
        }
    }

    /** Wave 1 starts every session, wave 2 ends the even ones, wave 3 restarts them (new versions). */
    private static synchronized void sendWave(ProjectorHarness projector, List<byte[]> sent, int wave, Instant time)
            throws Exception {
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

    private static Map<String, ?> model(ProjectorHarness projector, List<byte[]> sent) {
        CloudEventJsonParser parser = new CloudEventJsonParser();
        List<LoggedEvent> log = new ArrayList<>();
        sent.forEach(value -> log.add(new LoggedEvent(projector.topic, parser.parse(null, value))));
        return new ReferenceProjection(new RuleEngine(projector.rules)).project(log, Instant.now().toEpochMilli());
    }
}
