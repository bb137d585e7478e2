package io.cachep.apply;

import io.cachep.rules.EntryKey;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.Mutation;
import io.cachep.rules.TagKey;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moves what rebuild built in the shadow namespace ({@link KeyLayout#shadow()}) into the live namespace, beside the
 * running projector, without a reader ever seeing an entry regress.
 *
 * <ul>
 *   <li>{@link #readFence}: rebuild reads each live fence first, then catches the shadow up with the log, then calls
 *       {@link #promote} with what it read: the library's {@code promote} tells the projector's later writes (kept when
 *       newer) from what the shadow already covers, and merges the entry cell by cell in one atomic call.</li>
 *   <li>{@link #promoteTag}: carries a tag over, so a later invalidation by the projector reaches promoted entries:
 *       the shadow's registrations into the live index, then the latest invalidation (the shadow's, or one the live
 *       index saw that a registration was late for) replayed through the projector's own fenced path. On a Redis
 *       Cluster the registrations live in per-slot shards, and are carried shard by shard ({@link ShardedTagCarry}).</li>
 * </ul>
 */
public final class ShadowPromoter {
    /** The field {@code promote} sets on a shadow fence it has promoted. */
    static final String PROMOTED_FIELD = "~promoted";
    private static final String RULE = "rebuild";
    /** Registrations carried per call. */
    private static final int REGISTER_CHUNK = 256;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Duration tombstoneRetention;
    private final KeyLayout live;
    private final KeyLayout shadow;
    private final RedisLibrary library;
    private final RedisApplier liveApplier;
    /** On a Redis Cluster, where tags are carried shard by shard; null on one server. */
    private final ShardedTagCarry shardedTags;

    /** A promoter on one server. */
    public ShadowPromoter(RedisClusterAsyncCommands<String, String> redis, Duration tombstoneRetention, KeyLayout live) {
        this(redis, new RedisLibrary(redis), tombstoneRetention, live, null);
    }

    /**
     * A promoter on a single server or a Redis Cluster: each promote keeps to one slot (an entry's live and shadow
     * keys share its hash tag), and on a cluster tags are carried per index shard and the replayed invalidation takes
     * the projector's own path through the tag's registry of slots.
     */
    public ShadowPromoter(RedisTarget target, Duration tombstoneRetention, KeyLayout live) {
        this(target.async(), new RedisLibrary(target), tombstoneRetention, live, target);
    }

    private ShadowPromoter(RedisClusterAsyncCommands<String, String> redis, RedisLibrary library,
                           Duration tombstoneRetention, KeyLayout live, RedisTarget target) {
        this.redis = redis;
        this.tombstoneRetention = tombstoneRetention;
        this.live = live;
        this.shadow = live.shadow();
        this.library = library;
        boolean cluster = target != null && target.cluster();
        this.liveApplier = cluster ? new RedisApplier(target, tombstoneRetention, live)
                : new RedisApplier(library, tombstoneRetention, live);
        this.shardedTags = cluster ? new ShardedTagCarry(redis, target.writes(), library, live) : null;
    }

    /** The live fence of the entry with this rendered key, as it is now (empty when it has none). */
    public CompletableFuture<Map<String, String>> readFence(String renderedKey) {
        return redis.hgetall(live.entry(renderedKey).fence()).toCompletableFuture();
    }

    /**
     * Promotes one entry: merges its shadow entry into the live one, as of {@code fenceAsRead} (what {@link #readFence}
     * returned before the shadow last caught up with the log). An entry the shadow lacks is dropped unless the
     * projector wrote it since.
     */
    public CompletableFuture<PromoteOutcome> promote(String renderedKey, Map<String, String> fenceAsRead) {
        EntryKey liveKey = live.entry(renderedKey);
        EntryKey shadowKey = shadow.entry(renderedKey);
        String[] keys = {liveKey.data(), liveKey.fence(), shadowKey.data(), shadowKey.fence()};
        List<String> args = new ArrayList<>(1 + 2 * fenceAsRead.size());
        args.add(Long.toString(tombstoneRetention.toMillis()));
        fenceAsRead.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        String[] argv = args.toArray(String[]::new);
        return library.<Object>call(RedisLibrary.Function.PROMOTE, ScriptOutputType.VALUE, keys, argv)
                .thenApply(PromoteOutcome::fromScript);
    }

    /** True once {@link #promote} has run for this entry's shadow entry (so a later pass over live keys may skip it). */
    public CompletableFuture<Boolean> isPromoted(String renderedKey) {
        return redis.hexists(shadow.entry(renderedKey).fence(), PROMOTED_FIELD).toCompletableFuture();
    }

    /** Carries the tag with this rendered name over from the shadow (see the class comment). */
    public CompletableFuture<Void> promoteTag(String renderedTag) {
        CompletableFuture<Long> latest = shardedTags != null ? shardedTags.carry(renderedTag) : carryIndex(renderedTag);
        return latest.thenCompose(time -> time < 0 ? CompletableFuture.completedFuture(null)
                : liveApplier.apply(new EventStamp(0, time), List.of(new Mutation.InvalidateTag(RULE, live.tag(renderedTag))))
                        .thenApply(outcomes -> null));
    }

    /**
     * On one server: the shadow's registrations into the live index; the latest invalidation to replay (the shadow's,
     * or a live one a registration was late for), or -1 for none.
     */
    private CompletableFuture<Long> carryIndex(String renderedTag) {
        TagKey shadowTag = shadow.tag(renderedTag);
        TagKey liveTag = live.tag(renderedTag);
        CompletableFuture<Long> shadowMarker = redis.get(shadowTag.flushedAt()).toCompletableFuture()
                .thenApply(marker -> marker == null ? -1L : Long.parseLong(marker));
        return shadowMarker.thenCompose(marker -> carryFrom(shadowTag, liveTag, 0, marker));
    }

    /**
     * The shadow index's registrations from rank {@code from} on, REGISTER_CHUNK at a time, one call at a time: a tag
     * may index hundreds of thousands of entries, too many to read in one reply or to send as a call each. The shadow
     * index no longer changes (the build is done), so ranks are stable.
     */
    private CompletableFuture<Long> carryFrom(TagKey shadowTag, TagKey liveTag, long from, long latest) {
        return redis.zrangeWithScores(shadowTag.index(), from, from + REGISTER_CHUNK - 1).toCompletableFuture()
                .thenCompose(chunk -> {
                    if (chunk.isEmpty()) {
                        return CompletableFuture.completedFuture(latest);
                    }
                    return register(liveTag, chunk).thenCompose(marker -> {
                        // The live index answers with its invalidation time: one at or after a write's time means
                        // the invalidation ran before the entry was registered here, so it must be replayed for it.
                        long missed = latest;
                        if (marker != null && !marker.isEmpty()) {
                            long at = Long.parseLong(marker);
                            if (chunk.stream().anyMatch(entry -> at >= (long) entry.getScore())) {
                                missed = Math.max(latest, at);
                            }
                        }
                        return chunk.size() < REGISTER_CHUNK ? CompletableFuture.completedFuture(missed)
                                : carryFrom(shadowTag, liveTag, from + REGISTER_CHUNK, missed);
                    });
                });
    }

    /** {@code tag_index R} with many registrations: the shadow's keys as live keys, with their times. */
    private CompletableFuture<String> register(TagKey tag, List<ScoredValue<String>> entries) {
        List<String> args = new ArrayList<>(1 + 2 * entries.size());
        args.add("R");
        for (ScoredValue<String> entry : entries) {
            args.add(Long.toString((long) entry.getScore()));
            args.add(live.entry(shadow.renderedKeyOf(entry.getValue()).orElseThrow()).data());
        }
        return library.<Object>call(RedisLibrary.Function.TAG_INDEX, ScriptOutputType.VALUE,
                new String[] {tag.index(), tag.flushedAt()}, args.toArray(String[]::new))
                .thenApply(v -> v == null ? null : String.valueOf(v));
    }
}
