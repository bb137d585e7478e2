package io.cachep.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * devstack's Redis Cluster is a real one: six redis-server processes, three primaries with a replica each, every
 * slot served; a primary killed with SIGKILL is replaced by its replica, and restarted it rejoins as a replica.
 */
class RedisClusterIT {
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    @Test
    void shouldFormAClusterFailOverAKilledPrimaryAndTakeItBackAsAReplica() {
        try (RedisCluster cluster = RedisCluster.start(RedisCluster.Options.defaults())) {
            assertThat(cluster.nodes()).hasSize(6).allSatisfy(node ->
                    assertThat(node.port()).isLessThanOrEqualTo(FreePorts.MAX_CLUSTER_PORT));
            assertThat(cluster.primaries()).hasSize(3);
            assertThat(cluster.replicas()).hasSize(3);
            assertThat(cluster.uri()).startsWith("redis://127.0.0.1:").contains(",127.0.0.1:");
            assertThat(RedisCli.ask(cluster.nodes().get(0).port(), Duration.ofSeconds(5), "CLUSTER", "INFO"))
                    .contains("cluster_slots_assigned:" + RedisCluster.SLOTS);

            RedisServer victim = cluster.primaries().get(0);
            victim.kill();
            cluster.awaitHealthy(FAILOVER);
            assertThat(cluster.primaries()).as("a replica took over").hasSize(3).doesNotContain(victim);

            victim.restart();
            cluster.awaitHealthy(FAILOVER);
            Deadline deadline = Deadline.after(FAILOVER);
            while (!cluster.replicas().contains(victim) && !deadline.expired()) {
                Thread.onSpinWait(); // each check asks every node its role: slow enough not to spin hot
            }
            assertThat(cluster.replicas()).as("the old primary came back as a replica").contains(victim);
            assertThat(cluster.primaries()).hasSize(3);
        }
    }
}
