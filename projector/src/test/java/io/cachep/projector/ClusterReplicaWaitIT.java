package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.topology.ProjectionMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code projector.redis.wait.replicas=1} on a real Redis Cluster: a shard whose replica is stopped (SIGSTOP) holds
 * its events back, unacknowledged and uncommitted, with {@code /ready} DEGRADED naming that shard, while the other
 * shards go on. Its primary is then killed (SIGKILL) before the replica resumes, so the replica that takes over never
 * had the writes the primary applied meanwhile. The promoted replica has no replica of its own, so its shard is held
 * back in turn until the killed node is restarted and rejoins as its replica. None of the writes lost with the old
 * primary had been acknowledged, so they are sent again to the new one, and Redis ends equal to the model without a
 * repair.
 *
 * <p>What this cannot show on one machine is the loss without WAIT: a stopped replica's kernel still receives the
 * replication stream into its socket buffer, so on resuming it has a small batch of writes anyway. WAIT does not count
 * on that: it waits for the replica's own acknowledgement, which is what the held shard shows.
 */
@ExtendWith(DevStackExtension.class)
class ClusterReplicaWaitIT {
    private static final int SESSIONS = 300;
    private static final Duration FAILOVER = Duration.ofSeconds(60);

    @Test
    void shouldHoldAShardShortOfReplicasAndLoseNothingWhenItsPrimaryDies(DevStack stack, TestIsolation isolation,
                                                                       RedisCluster cluster)
            throws Exception {
        try (ProjectorHarness projector = new ProjectorHarness(stack, isolation, ProjectionEndToEndIT.RULES,
                     cluster.uri(), 3, Map.of("projector.redis.cluster", "true",
                             "projector.redis.command.timeout.ms", "1000",
                             "projector.redis.wait.replicas", "1",
                             "projector.redis.wait.timeout.ms", "300"))) {
            projector.start();
            List<byte[]> sent = new ArrayList<>();
            Instant now = Instant.now();
            sendWave(projector, sent, 1, now);
            projector.awaitProcessed(sent.size());

            RedisServer primary = cluster.primaries().get(0);
            RedisServer replica = cluster.replicaOf(primary);
            replica.pause();
            try {
                sendWave(projector, sent, 2, now.plusSeconds(1));
                Awaitility.await("/ready names the shard short of replicas").atMost(FAILOVER).untilAsserted(() ->
                        assertThat(projector.ready().body()).contains("DEGRADED")
                                .contains("redis shard 127.0.0.1:" + primary.port() + " (since"));
                assertThat(projector.gauge("cachep.redis.replicas.short")).isEqualTo(1.0);
                // The other shards' events go through; this shard's wait, unacknowledged.
                Awaitility.await().atMost(FAILOVER).until(() -> projector.processed() > SESSIONS);
                assertThat(projector.processed()).isLessThan(sent.size());
                primary.kill(); // with writes applied there that its stopped replica never got
            } finally {
                replica.resume();
            }
            cluster.awaitHealthy(FAILOVER); // the stale replica is promoted, a primary without a replica now
            RedisServer promoted = cluster.primaries().stream().filter(p -> p.port() == replica.port()).findFirst()
                    .orElseThrow();
            Awaitility.await("/ready names the promoted primary, which has no replica").atMost(FAILOVER)
                    .untilAsserted(() -> assertThat(projector.ready().body())
                            .contains("redis shard 127.0.0.1:" + promoted.port() + " (since")
                            .doesNotContain("127.0.0.1:" + primary.port()));
            assertThat(projector.processed()).isLessThan(sent.size());
            primary.restart(); // as an orchestrator would: it rejoins as the new primary's replica
            projector.awaitProcessed(sent.size());
            // Committed, not only counted: a replaced stream thread processes some events twice, and each counts.
            projector.awaitCommitted(sent.size());
            assertThat(projector.app.metrics().count(ProjectionMetrics.DLQ_OUTCOME)).as("nothing dead-lettered").isZero();
            assertThat(projector.app.fatalFailure()).isEmpty();
            assertThat(projector.divergenceFromModel(sent)).as("Redis against the model").isEmpty();
            Awaitility.await("ready again").atMost(FAILOVER).until(() -> projector.ready().statusCode() == 200);
            assertThat(projector.gauge("cachep.redis.replicas.short")).isZero();
        }
    }

    /** Wave 1 starts every session; wave 2 refreshes each one with a newer version. */
    private static void sendWave(ProjectorHarness projector, List<byte[]> sent, int wave, Instant time) throws Exception {
        for (int i = 0; i < SESSIONS; i++) {
            byte[] event = TestEvents.sessionEvent(ProjectionEndToEndIT.STARTED, "s-" + i, wave, time, "web-" + wave);
            projector.send("s-" + i, event);
            sent.add(event);
        }
    }
}
