package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.rules.EntryKey;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.Mutation;
import io.lettuce.core.FlushMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fenced-apply script against a real redis-server: the version fence, tombstones and event-time expiry. */
@ExtendWith(DevStackExtension.class)
class RedisApplierIT {
    private static final Duration RETENTION = Duration.ofHours(24);

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private RedisApplier applier;
    private EntryKey session;

    @BeforeEach
    void connect(DevStack stack, TestIsolation isolation) {
        client = RedisClient.create(stack.redisUri());
        connection = client.connect();
        redis = connection.sync();
        applier = new RedisApplier(connection.async(), RETENTION, new KeyLayout(isolation.keyPrefix()));
        session = new KeyLayout(isolation.keyPrefix()).entry("session:{s-1}");
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    private ApplyOutcome upsert(long version, Map<String, String> hash, long expireAt) throws Exception {
        return apply(version, new Mutation.Upsert("r", session, hash, null, expireAt, List.of()));
    }

    private ApplyOutcome delete(long version) throws Exception {
        return apply(version, new Mutation.Delete("r", session, null));
    }

    private ApplyOutcome apply(long version, Mutation mutation) throws Exception {
        return applier.apply(new EventStamp(version, Instant.now().toEpochMilli()), List.of(mutation)).get().get(0);
    }

    private static long inOneHour() {
        return Instant.now().plus(Duration.ofHours(1)).toEpochMilli();
    }

    /**
     * A tag invalidation reaching thousands of entries is a handful of calls, not one per entry: on a connection whose
     * request queue holds 1,000 commands (Lettuce refuses more: "Internal stack size exceeded"), 5,000 entries under
     * one tag are all dropped.
     */
    @Test
    void shouldInvalidateATagOfThousandsOfEntriesInFewCallsWithoutFloodingTheConnection(TestIsolation isolation)
            throws Exception {
        client.setOptions(io.lettuce.core.ClientOptions.builder().requestQueueSize(1_000).build());
        try (StatefulRedisConnection<String, String> small = client.connect()) {
            KeyLayout layout = new KeyLayout(isolation.keyPrefix() + "t");
            RedisApplier tagged = new RedisApplier(small.async(), RETENTION, layout);
            io.cachep.rules.TagKey tenant = layout.tag("tenant:{t-1}");
            long written = Instant.now().toEpochMilli() - 60_000;
            List<RedisApplier.Event> events = new java.util.ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                events.add(new RedisApplier.Event(new EventStamp(1, written), List.of(new Mutation.Upsert("r",
                        layout.entry("session:{s-" + i + "}"), Map.of("n", Integer.toString(i)), null, Mutation.NO_EXPIRY,
                        List.of(tenant)))));
                if (events.size() == 500) {
                    tagged.applyBatch(events).forEach(java.util.concurrent.CompletableFuture::join);
                    events.clear();
                }
            }
            assertThat(redis.exists(layout.entry("session:{s-4999}").data())).isEqualTo(1L);

            List<ApplyOutcome> outcome = tagged.apply(new EventStamp(2, written + 1), List.of(
                    new Mutation.InvalidateTag("flush", tenant))).get();

            assertThat(outcome).containsExactly(ApplyOutcome.APPLIED);
            assertThat(redis.keys(layout.scanPattern()).stream().filter(k -> !k.contains("~"))).isEmpty();
        }
    }

    @Test
    void shouldApplyNewerVersionsAndCountDuplicatesAndStaleOnesWithoutWriting() throws Exception {
        long expiry = inOneHour();
        assertThat(upsert(2, Map.of("device", "ios"), expiry)).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(upsert(2, Map.of("device", "DUPLICATE"), expiry)).isEqualTo(ApplyOutcome.DUPLICATE);
        assertThat(upsert(1, Map.of("device", "OLDER"), expiry)).isEqualTo(ApplyOutcome.STALE);
        assertThat(redis.hgetall(session.data())).isEqualTo(Map.of("device", "ios"));
        assertThat(upsert(3, Map.of("device", "web"), expiry)).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(redis.hgetall(session.data())).isEqualTo(Map.of("device", "web"));
    }

    @Test
    void shouldReplaceTheWholeHashSoNoFieldOfAnOlderVersionSurvives() throws Exception {
        upsert(1, Map.of("a", "1", "b", "2"), inOneHour());
        upsert(2, Map.of("a", "3"), inOneHour());
        assertThat(redis.hgetall(session.data())).isEqualTo(Map.of("a", "3"));
    }

    @Test
    void shouldNotResurrectADeletedEntryWhenAnOlderUpsertArrives() throws Exception {
        upsert(1, Map.of("device", "ios"), inOneHour());
        assertThat(delete(3)).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(redis.exists(session.data())).isZero();
        assertThat(upsert(2, Map.of("device", "late"), inOneHour())).isEqualTo(ApplyOutcome.STALE);
        assertThat(redis.exists(session.data())).isZero();
        // The tombstone blocks older writes for the retention, counted from when the older entry would have expired,
        // and the fence's expiry moves in steps of at most an hour (so it may stay that much longer).
        long tombstoneTtl = redis.pttl(session.fence());
        assertThat(tombstoneTtl).isGreaterThan(RETENTION.toMillis() - 60_000)
                .isLessThanOrEqualTo(RETENTION.plus(Duration.ofHours(2)).toMillis());
    }

    @Test
    void shouldWriteNothingForAnEventWhoseExpiryFromEventTimeHasPassed() throws Exception {
        long expiredAnHourAgo = Instant.now().minus(Duration.ofHours(3)).plus(Duration.ofHours(1)).toEpochMilli();
        assertThat(upsert(1, Map.of("device", "ios"), expiredAnHourAgo)).isEqualTo(ApplyOutcome.EXPIRED);
        assertThat(redis.exists(session.data())).isZero();
    }

    @Test
    void shouldSetTheExpiryComputedFromEventTimeAndKeepItOnAnOverwriteWithoutTtl() throws Exception {
        long expiry = inOneHour();
        upsert(1, Map.of("device", "ios"), expiry);
        assertThat(redis.pexpiretime(session.data())).isEqualTo(expiry);
        upsert(2, Map.of("device", "web"), Mutation.NO_EXPIRY);
        assertThat(redis.pexpiretime(session.data())).isEqualTo(expiry);
        assertThat(redis.pexpiretime(session.fence())).isGreaterThanOrEqualTo(expiry);
    }

    @Test
    void shouldKeepTheFenceInvisibleToReadersOfTheEntry() throws Exception {
        upsert(5, Map.of("device", "ios"), inOneHour());
        assertThat(redis.hkeys(session.data())).containsExactly("device");
        assertThat(Fence.of(redis.hgetall(session.fence())).version()).isEqualTo(5L);
    }

    @Test
    void shouldCompareVersionsBeyondTwoToTheFiftyThirdExactly() throws Exception {
        long big = (1L << 53) + 1;
        upsert(big, Map.of("v", "big"), inOneHour());
        assertThat(upsert(big - 1, Map.of("v", "older"), inOneHour())).isEqualTo(ApplyOutcome.STALE);
        assertThat(upsert(big + 1, Map.of("v", "newer"), inOneHour())).isEqualTo(ApplyOutcome.APPLIED);
    }

    @Test
    void shouldRefuseAKeyOfAnotherTypeWithWrongtypeAndWriteNothing() {
        redis.rpush(session.data(), "someone else's list");
        assertThatThrownBy(() -> upsert(1, Map.of("device", "ios"), inOneHour()))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(RedisFailure.classify(e)).isEqualTo(RedisFailure.POISON));
        assertThat(redis.lrange(session.data(), 0, -1)).containsExactly("someone else's list");
        assertThat(redis.exists(session.fence())).isZero();
    }

    /**
     * A full Redis (used memory above maxmemory, noeviction) refuses the whole batch before any of it runs: Redis 7
     * checks a function that may write up front, so an OOM never leaves an entry and its fence out of step, and the
     * failure is transient (retried until Redis has room). On a redis-server of its own, not the shared one.
     */
    @Test
    void shouldRefuseAWholeBatchUpFrontWhenRedisIsFullAndApplyItOnceThereIsRoom(TestIsolation isolation) throws Exception {
        try (RedisServer own = RedisServer.start(RedisServer.Options.defaults()
                .withExtraArgs("--maxmemory-policy", "noeviction"))) {
            RedisClient ownClient = RedisClient.create(own.uri());
            try (StatefulRedisConnection<String, String> ownConnection = ownClient.connect()) {
                RedisApplier ownApplier = new RedisApplier(ownConnection.async(), RETENTION,
                        new KeyLayout(isolation.keyPrefix()));
                KeyLayout layout = new KeyLayout(isolation.keyPrefix());
                List<Mutation> batch = List.of(
                        new Mutation.Upsert("r", session, Map.of("device", "ios"), null, inOneHour(),
                                List.of(layout.tag("tenant:t-1"))),
                        new Mutation.MemberWrite("r", layout.entry("user:{u-1}:sessions"),
                                Mutation.MemberOperation.SET_ADD, "s-1", 0, inOneHour(), List.of()));
                long keysBefore = ownConnection.sync().dbsize();
                ownConnection.sync().configSet("maxmemory", "1");

                assertThatThrownBy(() -> ownApplier.apply(new EventStamp(1, Instant.now().toEpochMilli()), batch).get())
                        .satisfies(e -> assertThat(RedisFailure.classify(e)).isEqualTo(RedisFailure.TRANSIENT))
                        .satisfies(e -> assertThat(RedisFailure.isOutOfMemory(e)).isTrue());
                assertThat(ownConnection.sync().dbsize()).as("nothing of the batch was written").isEqualTo(keysBefore);

                ownConnection.sync().configSet("maxmemory", "0");
                assertThat(ownApplier.apply(new EventStamp(1, Instant.now().toEpochMilli()), batch).get())
                        .containsOnly(ApplyOutcome.APPLIED);
                assertThat(ownConnection.sync().hget(session.data(), "device")).isEqualTo("ios");
            } finally {
                ownClient.shutdown();
            }
        }
    }

    /**
     * FUNCTION FLUSH (or a restart without persistence, or a new primary that never had it) empties the server's
     * libraries: the next call loads cachep's again. On a redis-server of its own, not the shared one.
     */
    @Test
    void shouldReloadTheLibraryAfterFunctionFlush(TestIsolation isolation) throws Exception {
        try (RedisServer own = RedisServer.start(RedisServer.Options.defaults())) {
            RedisClient ownClient = RedisClient.create(own.uri());
            try (StatefulRedisConnection<String, String> ownConnection = ownClient.connect()) {
                RedisApplier ownApplier = new RedisApplier(ownConnection.async(), RETENTION,
                        new KeyLayout(isolation.keyPrefix()));
                Mutation first = new Mutation.Upsert("r", session, Map.of("device", "ios"), null, inOneHour(), List.of());
                Mutation second = new Mutation.Upsert("r", session, Map.of("device", "web"), null, inOneHour(), List.of());
                ownApplier.apply(new EventStamp(1, Instant.now().toEpochMilli()), List.of(first)).get();

                ownConnection.sync().functionFlush(FlushMode.SYNC);
                assertThat(ownConnection.sync().functionList()).isEmpty();

                assertThat(ownApplier.apply(new EventStamp(2, Instant.now().toEpochMilli()), List.of(second)).get())
                        .containsExactly(ApplyOutcome.APPLIED);
                assertThat(ownConnection.sync().hget(session.data(), "device")).isEqualTo("web");
                assertThat(libraryNames(ownConnection.sync())).containsExactly(RedisLibrary.NAME);
            } finally {
                ownClient.shutdown();
            }
        }
    }

    /**
     * A rolling upgrade: another release's library (another name) is already loaded. Loading cachep's beside it
     * replaces nothing, and both stay callable.
     */
    @Test
    void shouldLoadItsLibraryBesideAnotherReleasesWithoutReplacingIt(TestIsolation isolation) throws Exception {
        try (RedisServer own = RedisServer.start(RedisServer.Options.defaults())) {
            RedisClient ownClient = RedisClient.create(own.uri());
            try (StatefulRedisConnection<String, String> ownConnection = ownClient.connect()) {
                RedisCommands<String, String> ownRedis = ownConnection.sync();
                String other = "cachep_" + RedisLibrary.LAYOUT + "_00000000";
                ownRedis.functionLoad(RedisLibrary.SOURCE.replace(RedisLibrary.NAME, other));

                RedisApplier ownApplier = new RedisApplier(ownConnection.async(), RETENTION,
                        new KeyLayout(isolation.keyPrefix()));
                Mutation upsert = new Mutation.Upsert("r", session, Map.of("device", "ios"), null, inOneHour(), List.of());
                assertThat(ownApplier.apply(new EventStamp(1, Instant.now().toEpochMilli()), List.of(upsert)).get())
                        .containsExactly(ApplyOutcome.APPLIED);

                assertThat(libraryNames(ownRedis)).containsExactlyInAnyOrder(other, RedisLibrary.NAME);
                // The other release's functions still answer (a tag index lookup of a tag nobody registered).
                assertThat((String) ownRedis.fcall(other + "_tag_index", io.lettuce.core.ScriptOutputType.VALUE,
                        new String[] {"idx", "marker"}, "R", "1", "k")).isEmpty();
            } finally {
                ownClient.shutdown();
            }
        }
    }

    private static List<String> libraryNames(RedisCommands<String, String> redis) {
        return redis.functionList().stream().map(library -> String.valueOf(library.get("library_name"))).toList();
    }
}
