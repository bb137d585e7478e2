package io.cachep.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.devstack.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What may never happen to a reader with an L1, on a redis-server of the test's own that it kills, pauses and
 * restarts: an L1 serving a copy whose invalidation it missed (a killed connection, a restart, a FLUSHALL), a stale
 * copy served without the flag, a hang instead of a clear failure, or a version older than one already returned.
 */
class ClientResilienceIT {
    private static final String NS = "app";
    private static final String KEY = "session:{s-1}";

    private RedisServer redis;
    private Entries entries;

    @BeforeEach
    void start() {
        redis = RedisServer.start(RedisServer.Options.defaults());
        entries = new Entries(redis.uri(), NS);
    }

    @AfterEach
    void stop() {
        entries.close();
        redis.close();
    }

    private CachepClient.Builder client() {
        return CachepClient.builder().redisUri(redis.uri()).namespace(NS)
                .trackingHeartbeat(Duration.ofMillis(100)).trackingTimeout(Duration.ofMillis(600))
                .readTimeout(Duration.ofMillis(500)).redisRetryInterval(Duration.ofMillis(200))
                .divergenceInterval(Duration.ZERO);
    }

    /** Reads until the L1 serves the entry: the first read fills it, a following one is a hit. */
    private static void awaitServedFromL1(CachepClient client, String key) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.hash(key).layer() == Layer.L1);
    }

    @Test
    void shouldServeHitsFromTheL1AndDropACopyWhenTheEntryChanges() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        try (CachepClient client = client().build()) {
            Read<Map<String, String>> first = client.hash(KEY);
            assertThat(first.layer()).isEqualTo(Layer.REDIS);
            assertThat(first.value()).contains(Map.of("device", "web"));
            assertThat(first.version()).hasValue(1);
            awaitServedFromL1(client, KEY);

            entries.hash(KEY, 2, Map.of("device", "ios"));
            Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                Read<Map<String, String>> read = client.hash(KEY);
                assertThat(read.value()).contains(Map.of("device", "ios"));
                assertThat(read.version()).hasValue(2);
            });
            assertThat(client.stats().invalidations()).isPositive();
            assertThat(client.hash("session:{never}").present()).isFalse();
        }
    }

    @Test
    void shouldExportReadsInvalidationsAndDivergenceToMicrometer() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (CachepClient client = client().meterRegistry(registry).build()) {
            awaitServedFromL1(client, KEY);
            entries.hash(KEY, 2, Map.of("device", "ios"));
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> client.hash(KEY).version().orElse(0) == 2);
            assertThat(client.sampleDivergence()).isZero();

            assertThat(registry.get("cachep.client.reads").tags("layer", "l1", "outcome", "hit").functionCounter().count())
                    .isEqualTo(client.stats().l1Hits()).isPositive();
            assertThat(registry.get("cachep.client.reads").tags("layer", "redis", "outcome", "hit").functionCounter().count())
                    .isPositive();
            assertThat(registry.get("cachep.client.invalidations").functionCounter().count()).isPositive();
            assertThat(registry.get("cachep.client.invalidation.age").gauge().value()).isBetween(0.0, 60.0);
            assertThat(registry.get("cachep.client.cache.layer.divergence").gauge().value()).isZero();
            assertThat(registry.get("cachep.client.l1.entries").gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void shouldNotServeACopyWhoseInvalidationWasLostWithAKilledConnection() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        try (CachepClient client = client().build()) {
            awaitServedFromL1(client, KEY);
            // Every connection but the test's own: the client's invalidation link and its reads. The write that
            // follows lands before the link is back, so its invalidation is never sent to the client.
            entries.redis().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal());
            entries.hash(KEY, 2, Map.of("device", "ios"));

            Read<Map<String, String>> read = readingThroughAnOutage(client);
            assertThat(read.version()).hasValue(2);
            assertThat(read.value()).contains(Map.of("device", "ios"));
            awaitServedFromL1(client, KEY);  // the link is back and the L1 serves again
            assertThat(client.hash(KEY).version()).hasValue(2);
        }
    }

    @Test
    void shouldNotServeCopiesFromBeforeARedisRestart() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        try (CachepClient client = client().build()) {
            awaitServedFromL1(client, KEY);
            redis.restart();  // no AOF: Redis comes back empty
            entries.close();
            entries = new Entries(redis.uri(), NS);
            entries.hash(KEY, 2, Map.of("device", "ios"));

            Read<Map<String, String>> read = readingThroughAnOutage(client);
            assertThat(read.version()).hasValue(2);
            assertThat(read.value()).contains(Map.of("device", "ios"));
        }
    }

    @Test
    void shouldNeverServeACopyPastTheEntrysExpiryInRedis() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        try (CachepClient client = client().build()) {
            awaitServedFromL1(client, KEY);
            entries.redis().pexpire(NS + ":" + KEY, 400);
            // Redis expires the entry 400 ms after it ran PEXPIRE, so no later than 400 ms after it answered.
            long expiredBy = System.nanoTime() + Duration.ofMillis(400).toNanos();
            // When each read that still saw the entry began: a read that began after the expiry must not see it (one
            // that began before may finish after it, on a busy machine).
            List<Long> presentFrom = new ArrayList<>();
            long until = expiredBy + Duration.ofMillis(600).toNanos();
            while (System.nanoTime() < until) {
                long began = System.nanoTime();
                if (client.hash(KEY).present()) {
                    presentFrom.add(began);
                }
            }
            assertThat(presentFrom).as("reads that still saw the entry").isNotEmpty()
                    .allSatisfy(began -> assertThat(began).isLessThan(expiredBy));
            assertThat(client.stats().l1Hits()).isGreaterThan(1);
        }
    }

    @Test
    void shouldDropEveryCopyOnFlushall() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        try (CachepClient client = client().build()) {
            awaitServedFromL1(client, KEY);
            entries.redis().flushall();
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> !client.hash(KEY).present());
            assertThat(client.stats().flushes()).isEqualTo(1);
        }
    }

    @Test
    void shouldServeFlaggedStaleCopiesWhileRedisIsPausedAndFailFastWithoutOne() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        try (CachepClient client = client().maxStaleness(Duration.ofSeconds(60)).build()) {
            awaitServedFromL1(client, KEY);
            redis.pause();
            try {
                // Once the link has not answered for the tracking timeout, the copy is no longer known true.
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.hash(KEY).stale());
                Read<Map<String, String>> stale = client.hash(KEY);
                assertThat(stale.layer()).isEqualTo(Layer.L1);
                assertThat(stale.value()).contains(Map.of("device", "web"));
                assertThat(stale.staleFor()).isPositive();
                assertThatThrownBy(() -> client.hash("session:{not-in-l1}"))
                        .isInstanceOf(CacheUnavailableException.class)
                        .hasMessageContaining("the L1 has no copy");
                assertThat(client.stats().l1Stale()).isPositive();
            } finally {
                redis.resume();
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !client.hash(KEY).stale());
            entries.hash(KEY, 2, Map.of("device", "ios"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.hash(KEY).version().orElse(0) == 2);
        }
    }

    @Test
    void shouldFailReadsWhileRedisIsPausedWhenDegradedReadsAreOff() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        try (CachepClient client = client().build()) {
            awaitServedFromL1(client, KEY);
            redis.pause();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThatThrownBy(() -> client.hash(KEY)).isInstanceOf(CacheUnavailableException.class)
                                .hasMessageContaining("degraded reads are off"));
            } finally {
                redis.resume();
            }
        }
    }

    @Test
    void shouldRefuseToReturnAnOlderVersionThanItReturnedBefore() {
        entries.hash(KEY, 5, Map.of("device", "web"));
        try (CachepClient client = client().build()) {
            assertThat(client.hash(KEY).version()).hasValue(5);
            entries.hash(KEY, 3, Map.of("device", "old"));  // as after a failover that lost writes
            Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThatThrownBy(() -> client.hash(KEY)).isInstanceOf(CacheRegressionException.class)
                            .hasMessageContaining("version 3").hasMessageContaining("version 5"));
        }
    }

    @Test
    void shouldReadAndBeInvalidatedAsTheLeastPrivilegedUserTheReadmeGrants() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        // The README's grant line, for this test's namespace.
        entries.acl("SETUSER", "reader", "on", ">reader-secret", "+evalsha_ro", "+eval_ro", "+ping",
                "+client|tracking", "+type", "+get", "+hgetall", "+smembers", "+zrange", "+pttl", "%R~" + NS + ":*");
        String uri = "redis://reader:reader-secret@127.0.0.1:" + redis.port();
        try (CachepClient client = client().redisUri(uri).build()) {
            awaitServedFromL1(client, KEY);
            entries.hash(KEY, 2, Map.of("device", "ios"));
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> client.hash(KEY).version().orElse(0) == 2);
        }
    }

    @Test
    void shouldRefuseToReadAnEntryAsTheWrongType() {
        entries.hash(KEY, 1, Map.of("device", "web"));
        try (CachepClient client = client().build()) {
            assertThatThrownBy(() -> client.set(KEY)).isInstanceOf(WrongEntryTypeException.class)
                    .hasMessageContaining(KEY).hasMessageContaining("hash");
            assertThatThrownBy(() -> client.hash("~fence:" + KEY)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Reads as a service would while Redis comes back: an unavailable read is retried, anything else fails. */
    private static Read<Map<String, String>> readingThroughAnOutage(CachepClient client) {
        Read<?>[] read = new Read<?>[1];
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreException(CacheUnavailableException.class)
                .until(() -> {
                    read[0] = client.hash(KEY);
                    return true;
                });
        @SuppressWarnings("unchecked")
        Read<Map<String, String>> result = (Read<Map<String, String>>) read[0];
        return result;
    }
}
