package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link RedisTarget} checks at connect and how its writes are acknowledged, against a real single
 * redis-server and a real Redis Cluster: a server that is not what {@code projector.redis.cluster} says, seeds that
 * do not answer and more {@code wait.replicas} than a shard has are each one error naming the fix; with
 * {@code wait.replicas=1} a write counts only once its primary's replica has it, and a shard whose replica is stopped
 * holds its writes back (a transient failure naming the shard) until the replica is back.
 */
@ExtendWith(DevStackExtension.class)
class RedisTargetChecksIT {
    private static RedisCluster cluster;
    private static RedisServer standalone;

    @TempDir
    Path dir;

    /** One cluster for the class (DevStackExtension starts it, and closes it when the class is done). */
    @BeforeAll
    static void start(RedisCluster given) {
        cluster = given;
        standalone = RedisServer.start(RedisServer.Options.defaults());
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void aClusterConfiguredForAStandaloneServerIsRefusedWithTheFix() throws Exception {
        assertThatThrownBy(() -> RedisTarget.connect(config(standalone.uri(), true, 0).redis(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is a single Redis server (cluster support disabled)")
                .hasMessageContaining("set projector.redis.cluster=false");
    }

    @Test
    void aClusterNodeConfiguredAsASingleServerIsRefusedWithTheFix() throws Exception {
        String node = "redis://127.0.0.1:" + cluster.nodes().get(0).port();
        assertThatThrownBy(() -> RedisTarget.connect(config(node, false, 0).redis(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is a Redis Cluster node")
                .hasMessageContaining("set projector.redis.cluster=true");
    }

    @Test
    void seedsThatDoNotAnswerAreNamed() throws Exception {
        String seeds = "redis://127.0.0.1:" + unusedPort() + ",127.0.0.1:" + unusedPort();
        assertThatThrownBy(() -> RedisTarget.connect(config(seeds, true, 0).redis(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no seed node of projector.redis.uri")
                .hasMessageContaining("answered");
    }

    @Test
    void moreWaitReplicasThanAShardHasIsRefused() throws Exception {
        ProjectorConfig config = config(cluster.uri(), true, 2);
        assertThatThrownBy(() -> RedisTarget.connect(config.redis(), null, wait(config, new Recorder())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("projector.redis.wait.replicas is 2, more replicas than a shard has")
                .hasMessageContaining(" has 1");
        assertThatThrownBy(() -> RedisTarget.connect(config(standalone.uri(), false, 1).redis(), null,
                        new ReplicaWait(1, Duration.ofMillis(200), new Recorder())))
                .hasMessageContaining(" has 0");
    }

    @Test
    void aWriteCountsOnlyOnceItsReplicaHasItAndAStoppedReplicaHoldsItsShardBack() throws Exception {
        ProjectorConfig config = config(cluster.uri(), true, 1);
        Recorder recorder = new Recorder();
        try (RedisTarget redis = RedisTarget.connect(config.redis(), null, wait(config, recorder))) {
            for (int i = 0; i < 60; i++) {
                String key = "w:{e-" + i + "}";
                redis.writes().send(key, node -> node.set(key, "1")).get(5, TimeUnit.SECONDS);
            }
            assertThat(recorder.acknowledged).as("every shard acknowledged by its replica").hasSize(3);
            assertThat(recorder.shortOf).isEmpty();

            RedisServer primary = cluster.primaries().get(0);
            RedisServer replica = cluster.replicaOf(primary);
            String shard = "127.0.0.1:" + primary.port();
            String onShard = keyServedBy(redis, shard);
            replica.pause();
            try {
                CompletableFuture<String> held = redis.writes().send(onShard, node -> node.set(onShard, "2"));
                assertThatThrownBy(() -> held.get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(ReplicasShortException.class)
                        .hasMessageContaining("0 of 1 replicas of the Redis primary " + shard);
                assertThat(RedisFailure.classify(catchFailure(held))).isEqualTo(RedisFailure.TRANSIENT);
                assertThat(recorder.shortOf).containsExactly(shard);
            } finally {
                replica.resume();
            }
            redis.writes().send(onShard, node -> node.set(onShard, "3")).get(5, TimeUnit.SECONDS);
            assertThat(redis.sync().get(onShard)).isEqualTo("3");
        }
    }

    @Test
    void aSingleServerWaitsForItsReplicaToo() throws Exception {
        try (RedisServer replica = RedisServer.start(RedisServer.Options.defaults()
                .withExtraArgs("--replicaof", "127.0.0.1", Integer.toString(standalone.port())))) {
            // The primary counts a replica once the replica has acknowledged its first copy (REPLCONF ACK, up to a
            // second after the replica says its link is up): only then is it "online" there, and counted by WAIT.
            org.awaitility.Awaitility.await("the replica online at its primary").atMost(Duration.ofSeconds(30)).until(() ->
                    info(replica).contains("master_link_status:up") && info(standalone).contains("state=online"));
            Recorder recorder = new Recorder();
            try (RedisTarget redis = RedisTarget.connect(config(standalone.uri(), false, 1).redis(), null,
                    new ReplicaWait(1, Duration.ofMillis(300), recorder))) {
                redis.writes().send("w:{one}", node -> node.set("w:{one}", "1")).get(5, TimeUnit.SECONDS);
                assertThat(recorder.acknowledged).containsExactly("127.0.0.1:" + standalone.port());

                replica.pause();
                try {
                    CompletableFuture<String> held = redis.writes().send("w:{one}", node -> node.set("w:{one}", "2"));
                    assertThatThrownBy(() -> held.get(5, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(ReplicasShortException.class);
                } finally {
                    replica.resume();
                }
                redis.writes().send("w:{one}", node -> node.set("w:{one}", "3")).get(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String info(RedisServer server) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(server.uri());
        try (var connection = client.connect()) {
            return connection.sync().info("replication");
        } finally {
            client.shutdown();
        }
    }

    /** A key of ours whose slot the primary named {@code shard} owns. */
    private static String keyServedBy(RedisTarget redis, String shard) throws Exception {
        for (int i = 0; ; i++) {
            String key = "w:{e-" + i + "}";
            if (redis.primaryOf(key).get().name().equals(shard)) {
                return key;
            }
        }
    }

    private static int unusedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Throwable catchFailure(CompletableFuture<?> future) {
        return future.handle((ok, error) -> error).join();
    }

    private static ReplicaWait wait(ProjectorConfig config, ReplicaWait.Listener listener) {
        return new ReplicaWait(config.redisWaitReplicas(), config.redisWaitTimeout(), listener);
    }

    private ProjectorConfig config(String uri, boolean clustered, int waitReplicas) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "unused:9092",
                "PROJECTOR_RULES_FILE", Files.writeString(dir.resolve("rules.yaml"), "rules: []\n").toString(),
                "PROJECTOR_REDIS_URI", uri, "PROJECTOR_REDIS_CLUSTER", Boolean.toString(clustered),
                "PROJECTOR_REDIS_COMMAND_TIMEOUT_MS", "1000"));
        env.put("PROJECTOR_REDIS_WAIT_REPLICAS", Integer.toString(waitReplicas));
        env.put("PROJECTOR_REDIS_WAIT_TIMEOUT_MS", "300");
        return new ConfigLoader(env).load(Optional.empty(), Map.of());
    }

    /** What the writes told their listener, in order. */
    private static final class Recorder implements ReplicaWait.Listener {
        final List<String> shortOf = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void shortOf(String shard, long acknowledged, int wanted) {
            shortOf.add(shard);
        }

        @Override
        public void acknowledged(String shard) {
            this.acknowledged.add(shard);
        }
    }
}
