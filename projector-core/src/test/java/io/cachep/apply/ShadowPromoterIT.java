package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.Mutation;
import io.cachep.rules.TagKey;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What {@code shadow-promote.lua} does to one entry, case by case, against a real redis-server. */
@ExtendWith(DevStackExtension.class)
class ShadowPromoterIT {
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final String PROFILE = "profile:{p-1}";

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private KeyLayout live;
    private RedisApplier liveApplier;
    private RedisApplier shadowApplier;
    private ShadowPromoter promoter;
    private final long now = Instant.now().toEpochMilli();

    @BeforeEach
    void connect(DevStack stack, TestIsolation isolation) {
        client = RedisClient.create(stack.redisUri());
        connection = client.connect();
        redis = connection.sync();
        live = new KeyLayout(isolation.keyPrefix());
        liveApplier = new RedisApplier(connection.async(), RETENTION, live);
        shadowApplier = new RedisApplier(connection.async(), RETENTION, live.shadow());
        promoter = new ShadowPromoter(connection.async(), RETENTION, live);
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    @Test
    void shouldReplaceWhatTheShadowCoversAndKeepAFieldTheProjectorWroteSince() throws Exception {
        merge(liveApplier, live, 1, "a", "written by an old rule");
        merge(liveApplier, live, 2, "stray", "a field the current rules never write");
        merge(shadowApplier, live.shadow(), 1, "a", "a1");
        merge(shadowApplier, live.shadow(), 2, "b", "b2");
        Map<String, String> read = promoter.readFence(PROFILE).get();
        merge(liveApplier, live, 3, "c", "c3"); // the projector, after rebuild read the fence

        assertThat(promoter.promote(PROFILE, read).get()).isEqualTo(PromoteOutcome.PROMOTED);
        assertThat(redis.hgetall(live.entry(PROFILE).data())).isEqualTo(Map.of("a", "a1", "b", "b2", "c", "c3"));
        assertThat(Fence.of(redis.hgetall(live.entry(PROFILE).fence())).fieldVersions())
                .isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L));
        assertThat(promoter.isPromoted(PROFILE).get()).isTrue();

        // Again, as after a resumed run: read the fence, catch the shadow up with the log (now holding c3), promote.
        read = promoter.readFence(PROFILE).get();
        merge(shadowApplier, live.shadow(), 3, "c", "c3");
        assertThat(promoter.promote(PROFILE, read).get()).isEqualTo(PromoteOutcome.UNCHANGED);
    }

    @Test
    void shouldTakeNothingFromTheShadowWhenEveryDifferenceIsANewerLiveWrite() throws Exception {
        merge(shadowApplier, live.shadow(), 1, "a", "a1");
        merge(liveApplier, live, 1, "a", "a1");
        Map<String, String> read = promoter.readFence(PROFILE).get();
        merge(liveApplier, live, 2, "a", "a2");

        assertThat(promoter.promote(PROFILE, read).get()).isEqualTo(PromoteOutcome.LIVE_NEWER);
        assertThat(redis.hgetall(live.entry(PROFILE).data())).isEqualTo(Map.of("a", "a2"));
    }

    @Test
    void shouldPromoteATombstoneOverAnEntryTheLogDeleted() throws Exception {
        merge(liveApplier, live, 1, "a", "a1");
        merge(shadowApplier, live.shadow(), 1, "a", "a1");
        shadowApplier.apply(new EventStamp(2, now), List.of(new Mutation.Delete("r", live.shadow().entry(PROFILE), null))).get();

        assertThat(promoter.promote(PROFILE, promoter.readFence(PROFILE).get()).get()).isEqualTo(PromoteOutcome.PROMOTED);
        assertThat(redis.exists(live.entry(PROFILE).data())).isZero();
        Fence tombstone = Fence.of(redis.hgetall(live.entry(PROFILE).fence()));
        assertThat(tombstone.version()).isEqualTo(2L);
        assertThat(tombstone.deleted()).isTrue();
        // The tombstone now fences the live entry: a late older write is stale.
        assertThat(merge(liveApplier, live, 1, "a", "late")).isEqualTo(ApplyOutcome.STALE);
    }

    @Test
    void shouldDropWhatTheLogDoesNotImplyUnlessTheProjectorWroteItSince() throws Exception {
        String ghost = "ghost:{g-1}";
        redis.set(live.entry(ghost).data(), "written by hand");
        String tombstone = "gone:{g-2}";
        liveApplier.apply(new EventStamp(1, now), List.of(new Mutation.Delete("r", live.entry(tombstone), null))).get();
        String fresh = "fresh:{g-3}";
        Map<String, String> freshRead = promoter.readFence(fresh).get();
        merge(liveApplier, live, 1, fresh, "a", "new entity, first event after rebuild read the log");

        assertThat(promoter.promote(ghost, promoter.readFence(ghost).get()).get()).isEqualTo(PromoteOutcome.DROPPED);
        assertThat(promoter.promote(tombstone, promoter.readFence(tombstone).get()).get()).isEqualTo(PromoteOutcome.CLEARED);
        assertThat(promoter.promote(fresh, freshRead).get()).isEqualTo(PromoteOutcome.LIVE_NEWER);
        assertThat(redis.exists(live.entry(ghost).data(), live.entry(tombstone).fence())).isZero();
        assertThat(redis.hget(live.entry(fresh).data(), "a")).startsWith("new entity");
    }

    @Test
    void shouldKeepTheShadowsExpiryAndTheFencesRetention() throws Exception {
        long expireAt = now + Duration.ofHours(1).toMillis();
        shadowApplier.apply(new EventStamp(1, now), List.of(new Mutation.Upsert("r", live.shadow().entry(PROFILE),
                Map.of("a", "a1"), null, expireAt, List.of()))).get();

        assertThat(promoter.promote(PROFILE, Map.of()).get()).isEqualTo(PromoteOutcome.PROMOTED);
        assertThat(redis.pexpiretime(live.entry(PROFILE).data())).isEqualTo(expireAt);
        assertThat(redis.pexpiretime(live.entry(PROFILE).fence())).isGreaterThanOrEqualTo(expireAt + RETENTION.toMillis());
    }

    @Test
    void shouldRegisterPromotedEntriesUnderTheirTagsAndReplayTheTagsInvalidation() throws Exception {
        TagKey shadowTag = live.shadow().tag("tenant:{t-1}");
        String session = "session:{s-1}";
        shadowApplier.apply(new EventStamp(1, now - 1000), List.of(new Mutation.Upsert("r", live.shadow().entry(session),
                Map.of("user", "u-1"), null, Mutation.NO_EXPIRY, List.of(shadowTag)))).get();
        assertThat(promoter.promote(session, Map.of()).get()).isEqualTo(PromoteOutcome.PROMOTED);
        // The live projector invalidates the tag before the entry is registered in the live index.
        liveApplier.apply(new EventStamp(1, now), List.of(new Mutation.InvalidateTag("r", live.tag("tenant:{t-1}")))).get();
        assertThat(redis.exists(live.entry(session).data())).isOne();

        promoter.promoteTag("tenant:{t-1}").get();

        assertThat(redis.exists(live.entry(session).data())).as("invalidated after all").isZero();
    }

    /**
     * The entry is promoted while the shadow has not reached the invalidation yet; the projector's invalidation misses
     * it (the live index lost its registration); then the shadow reaches the invalidation and drops its own copy.
     * Carrying the tag over must still drop the live entry, though the shadow's index has dealt with its registration.
     */
    @Test
    void shouldDropAnEntryPromotedBeforeTheShadowReachedAnInvalidationTheLiveIndexMissed() throws Exception {
        String session = "session:{s-1}";
        TagKey liveTag = live.tag("tenant:{t-1}");
        TagKey shadowTag = live.shadow().tag("tenant:{t-1}");
        liveApplier.apply(new EventStamp(1, now - 1000), List.of(new Mutation.Upsert("r", live.entry(session),
                Map.of("user", "u-1"), null, Mutation.NO_EXPIRY, List.of(liveTag)))).get();
        redis.del(liveTag.index()); // the damage rebuild repairs
        shadowApplier.apply(new EventStamp(1, now - 1000), List.of(new Mutation.Upsert("r", live.shadow().entry(session),
                Map.of("user", "u-1"), null, Mutation.NO_EXPIRY, List.of(shadowTag)))).get();
        Map<String, String> fence = promoter.readFence(session).get();
        promoter.promote(session, fence).get();

        liveApplier.apply(new EventStamp(1, now), List.of(new Mutation.InvalidateTag("r", liveTag))).get();
        shadowApplier.apply(new EventStamp(1, now), List.of(new Mutation.InvalidateTag("r", shadowTag))).get();
        assertThat(redis.exists(live.shadow().entry(session).data())).as("the shadow's copy is dropped").isZero();
        assertThat(redis.exists(live.entry(session).data())).as("the live one missed the invalidation").isOne();

        promoter.promoteTag("tenant:{t-1}").get();

        assertThat(redis.exists(live.entry(session).data())).as("invalidated after all").isZero();
    }

    private ApplyOutcome merge(RedisApplier applier, KeyLayout layout, long version, String field, String value) throws Exception {
        return merge(applier, layout, version, PROFILE, field, value);
    }

    private ApplyOutcome merge(RedisApplier applier, KeyLayout layout, long version, String key, String field, String value)
            throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(field, value);
        return applier.apply(new EventStamp(version, now), List.of(new Mutation.Merge("r", layout.entry(key), fields,
                Mutation.NO_EXPIRY, List.of()))).get().get(0);
    }
}
