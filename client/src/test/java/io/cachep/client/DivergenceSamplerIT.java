package io.cachep.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The divergence sample finds an L1 copy that differs from Redis, drops it and reports it, and finds nothing while
 * invalidations keep the L1 true. Invalidation never misses a change in a live epoch, so the test makes the L1 wrong
 * the only way it can be: by filling it with a copy Redis never held.
 */
@ExtendWith(DevStackExtension.class)
class DivergenceSamplerIT {
    @Test
    void shouldReportAndDropACopyThatDiffersFromRedis(DevStack stack, TestIsolation isolation) {
        String namespace = isolation.keyPrefix();
        EntryKeys keys = new EntryKeys(namespace);
        String entryKey = keys.entry("session:{s-1}");
        ClientSettings settings = new ClientSettings(List.of(RedisURI.create(stack.redisUri())), false, namespace, 100,
                Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMillis(500), Duration.ZERO, 100, null, null);
        ClientResources resources = DefaultClientResources.create();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        L1Cache l1 = new L1Cache(100);
        ClientStats stats = new ClientStats(l1::size);
        RedisClient redisClient = RedisClient.create(resources, settings.seeds().get(0));
        try (Entries entries = new Entries(stack.redisUri(), namespace);
             StatefulRedisConnection<String, String> connection = redisClient.connect();
             InvalidationLink link = new InvalidationLink(resources, settings.seeds().get(0), keys.prefix(),
                     settings.readTimeout(), settings.trackingHeartbeat(), dropFrom(l1), scheduler)) {
            link.start();
            EntryReader reader = new EntryReader(connection.async(), keys, l1, link, stats, settings);
            DivergenceSampler sampler = new DivergenceSampler(l1, reader, link, stats, 100, settings.readTimeout());
            entries.hash("session:{s-1}", 1, Map.of("device", "web"));
            // The write's own invalidation may still be on its way and keep the first read from filling the L1.
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                reader.read(entryKey);
                return l1.get(entryKey) != null;
            });
            assertThat(sampler.sample()).as("a true L1").isZero();

            Snapshot wrong = new Snapshot(EntryType.HASH, Map.of("device", "tampered"), 1L, System.nanoTime(),
                    Long.MAX_VALUE, link.epoch());
            l1.fill(l1.begin(entryKey), wrong);
            assertThat(l1.get(entryKey)).isEqualTo(wrong);

            assertThat(sampler.sample()).isEqualTo(1);
            assertThat(stats.layerDivergence()).isEqualTo(1);
            assertThat(l1.get(entryKey)).as("the wrong copy is dropped").isNull();
            assertThat(reader.read(entryKey).snapshot().value()).isEqualTo(Map.of("device", "web"));
            assertThat(sampler.sample()).isZero();
        } finally {
            redisClient.shutdown();
            scheduler.shutdownNow();
            resources.shutdown();
        }
    }

    private static InvalidationLink.Listener dropFrom(L1Cache l1) {
        return new InvalidationLink.Listener() {
            @Override
            public void changed(List<String> redisKeys) {
                redisKeys.forEach(l1::invalidate);
            }

            @Override
            public void flushed() {
                l1.flush();
            }
        };
    }
}
