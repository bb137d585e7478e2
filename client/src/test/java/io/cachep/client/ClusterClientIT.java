package io.cachep.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client on a real Redis Cluster (three primaries, a replica each): an L1 kept true for entries on every primary,
 * and no copy served that a failover or a reshard could have made stale.
 */
@ExtendWith(DevStackExtension.class)
class ClusterClientIT {
    private static final String NS = "app";
    private static final int KEYS = 60;

    private static CachepClient.Builder client(RedisCluster cluster) {
        return CachepClient.builder().redisUri(cluster.uri()).cluster(true).namespace(NS)
                .trackingHeartbeat(Duration.ofMillis(100)).trackingTimeout(Duration.ofMillis(600))
                .readTimeout(Duration.ofMillis(500)).redisRetryInterval(Duration.ofMillis(200))
                .divergenceInterval(Duration.ZERO);
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add("session:{s-" + i + "}");
        }
        return keys;
    }

    @Test
    void shouldKeepTheL1TrueForEntriesOnEveryPrimary(RedisCluster cluster) {
        try (ClusterEntries entries = new ClusterEntries(cluster.uri());
             CachepClient client = client(cluster).build()) {
            keys().forEach(key -> entries.hash(key, 1, "web"));
            keys().forEach(key -> awaitServedFromL1(client, key));
            assertThat(keys().stream().map(key -> SlotHash.getSlot(NS + ":" + key) * 3 / 16_384).distinct())
                    .as("the keys are on every primary").hasSize(3);

            keys().forEach(key -> entries.hash(key, 2, "ios"));
            Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> keys().forEach(key ->
                    assertThat(client.hash(key).version()).as(key).hasValue(2)));
            assertThat(client.stats().invalidations()).isGreaterThanOrEqualTo(KEYS);
            assertThat(client.sampleDivergence()).isZero();
        }
    }

    @Test
    void shouldNotServeACopyAFailoverCouldHaveMadeStale(RedisCluster cluster) {
        try (ClusterEntries entries = new ClusterEntries(cluster.uri());
             CachepClient client = client(cluster).build()) {
            keys().forEach(key -> entries.hash(key, 1, "web"));
            keys().forEach(key -> awaitServedFromL1(client, key));

            RedisServer victim = cluster.primaries().get(0);
            victim.kill();
            cluster.awaitHealthy(Duration.ofSeconds(60));
            keys().forEach(key -> entries.hash(key, 2, "ios"));

            // Every read now sees the write made after the failover, whichever primary has the key.
            for (String key : keys()) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                        .ignoreException(CacheUnavailableException.class)
                        .untilAsserted(() -> assertThat(client.hash(key).version()).as(key).hasValue(2));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.hash(keys().get(0)).layer() == Layer.L1);
        }
    }

    @Test
    void shouldFollowSlotsMovedToAnotherPrimary(RedisCluster cluster) {
        try (ClusterEntries entries = new ClusterEntries(cluster.uri());
             CachepClient client = client(cluster).build()) {
            keys().forEach(key -> entries.hash(key, 1, "web"));
            keys().forEach(key -> awaitServedFromL1(client, key));

            List<RedisServer> primaries = cluster.primaries();
            cluster.reshard(primaries.get(0), primaries.get(1), 2_000);
            keys().forEach(key -> entries.hash(key, 2, "ios"));
            for (String key : keys()) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                        .ignoreException(CacheUnavailableException.class)
                        .untilAsserted(() -> assertThat(client.hash(key).version()).as(key).hasValue(2));
            }
        }
    }

    private static void awaitServedFromL1(CachepClient client, String key) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.hash(key).layer() == Layer.L1);
    }

    /** Entries as the projector leaves them, each written with its fence in one script on its slot. */
    private static final class ClusterEntries implements AutoCloseable {
        private static final String WRITE = "redis.call('DEL', KEYS[1]); redis.call('HSET', KEYS[1], 'device', ARGV[2]);"
                + " redis.call('HSET', KEYS[2], 'b', ARGV[1] .. ',,,,,,hash,,'); return 1";
        private final RedisClusterClient client;
        private final StatefulRedisClusterConnection<String, String> connection;

        ClusterEntries(String uri) {
            this.client = RedisClusterClient.create(RedisSeeds.parse(uri));
            // The writer, as the projector does, follows a failover: it refreshes its topology.
            // A write stuck on the dead node gives up after a second and is retried (Lettuce's default waits 60 s).
            client.setOptions(ClusterClientOptions.builder()
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(1)).enableAllAdaptiveRefreshTriggers().build())
                    .build());
            this.connection = client.connect();
        }

        void hash(String key, long version, String device) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                connection.sync().eval(WRITE, ScriptOutputType.INTEGER,
                        new String[] {NS + ":" + key, NS + ":~fence:" + key}, Long.toString(version), device);
                return true;
            });
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
