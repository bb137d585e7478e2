package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link RedisTarget} on a real Redis Cluster (six redis-server processes): calls reach the primary of their key's
 * slot from a seed list, every primary is reachable for what must run on each, and after a primary is killed the
 * client finds its promoted replica by itself.
 */
class RedisTargetIT {
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    @Test
    void shouldRouteBySlotReachEveryPrimaryAndFollowAFailover(@TempDir Path dir) throws Exception {
        try (RedisCluster cluster = RedisCluster.start(RedisCluster.Options.defaults())) {
            ProjectorConfig config = new ConfigLoader(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "unused:9092",
                    "PROJECTOR_RULES_FILE", Files.writeString(dir.resolve("rules.yaml"), "rules: []\n").toString(),
                    "PROJECTOR_REDIS_URI", cluster.uri(), "PROJECTOR_REDIS_CLUSTER", "true",
                    "PROJECTOR_REDIS_COMMAND_TIMEOUT_MS", "1000")).load(Optional.empty(), Map.of());
            try (RedisTarget redis = RedisTarget.connect(config.redis(), null)) {
                assertThat(redis.cluster()).isTrue();
                for (int i = 0; i < 100; i++) {
                    redis.sync().set("t:{e-" + i + "}", "v" + i); // 100 hash tags: every primary gets some
                }
                assertThat(redis.shards()).hasSize(3);
                long keys = 0;
                for (var shard : redis.shards()) {
                    long own = shard.commands().dbsize().get();
                    assertThat(own).as("every primary holds some of the keys").isPositive();
                    keys += own;
                }
                assertThat(keys).isEqualTo(100);

                RedisServer victim = cluster.primaries().get(0);
                victim.kill();
                cluster.awaitHealthy(FAILOVER);
                Awaitility.await().atMost(FAILOVER).ignoreExceptions().untilAsserted(() -> {
                    for (int i = 0; i < 100; i++) {
                        redis.sync().set("t:{e-" + i + "}", "w" + i);
                    }
                });
                for (int i = 0; i < 100; i++) {
                    assertThat(redis.sync().get("t:{e-" + i + "}")).isEqualTo("w" + i);
                }
            }
        }
    }
}
