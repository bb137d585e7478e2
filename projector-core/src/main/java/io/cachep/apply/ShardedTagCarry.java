package io.cachep.apply;

import io.cachep.rules.KeyLayout;
import io.cachep.rules.TagKey;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * On a Redis Cluster, carries one tag's registrations from rebuild's shadow into the live namespace's index shards
 * (docs/architecture.md, "Rebuild on a Redis Cluster"). The shadow's registry ({@code <ns>:~rebuild:~tagslots:<tag>})
 * lists the slots that have a shadow shard; for each, the live side follows the projector's announcement discipline
 * ({@link TagAnnouncer}): the slot goes into the live registry first, then the live global marker is read, and only
 * then are the shard's registrations added to the live shard of the same slot. So a live {@code invalidate-tag} that
 * reads the registry after the announcement visits the shard, and one that read it before has already advanced the
 * global marker, which the read after the announcement sees.
 *
 * <p>The answer is the latest invalidation the carried registrations must meet: the shadow's own (global marker), or
 * a live one (the shard's marker as {@code tag_index R} answers it, or the global marker read after announcing) at or
 * after a registration's time, which that registration was too late for. {@link ShadowPromoter#promoteTag} replays it
 * through the projector's fenced path, which visits every registered shard; replaying it also lifts the shards'
 * markers to it, which is what the projector's floor does for its own writes.
 */
final class ShardedTagCarry {
    /**
     * Shards carried at once. A tag may be registered on every slot, and each shard's registrations are sent
     * together; a window bounds what is in flight (Lettuce's request queue is bounded) without a round trip per shard.
     */
    static final int SHARDS_AT_ONCE = 64;

    private final RedisClusterAsyncCommands<String, String> redis;
    /** For the registry's SADD, acknowledged by replicas when configured, as the projector's announcements are. */
    private final AcknowledgedWrites writes;
    private final RedisLibrary library;
    private final KeyLayout live;
    private final KeyLayout shadow;

    ShardedTagCarry(RedisClusterAsyncCommands<String, String> redis, AcknowledgedWrites writes, RedisLibrary library,
                    KeyLayout live) {
        this.redis = redis;
        this.writes = writes;
        this.library = library;
        this.live = live;
        this.shadow = live.shadow();
    }

    /** Carries the tag over; completes with the invalidation time to replay on the live side, or -1 for none. */
    CompletableFuture<Long> carry(String renderedTag) {
        TagKey shadowTag = shadow.tag(renderedTag);
        TagKey liveTag = live.tag(renderedTag);
        CompletableFuture<Long> shadowMarker = redis.get(shadowTag.flushedAt()).toCompletableFuture()
                .thenApply(ShardedTagCarry::time);
        return redis.smembers(shadow.tagSlots(shadowTag)).toCompletableFuture().thenCompose(slots -> {
            List<Integer> ordered = slots.stream().map(Integer::parseInt).sorted().toList();
            CompletableFuture<Long> latest = shadowMarker;
            for (int from = 0; from < ordered.size(); from += SHARDS_AT_ONCE) {
                List<Integer> window = ordered.subList(from, Math.min(from + SHARDS_AT_ONCE, ordered.size()));
                latest = latest.thenCompose(before -> carryShards(shadowTag, liveTag, window)
                        .thenApply(missed -> Math.max(before, missed)));
            }
            return latest;
        });
    }

    /** A window of shards at once: the latest invalidation any of them missed, or -1. */
    private CompletableFuture<Long> carryShards(TagKey shadowTag, TagKey liveTag, List<Integer> slots) {
        List<CompletableFuture<Long>> shards = new ArrayList<>(slots.size());
        slots.forEach(slot -> shards.add(carryShard(shadowTag, liveTag, slot)));
        return CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new))
                .thenApply(done -> shards.stream().mapToLong(CompletableFuture::join).max().orElse(-1L));
    }

    /** One slot's shard: announce the slot on the live side, then register; the latest invalidation it missed. */
    private CompletableFuture<Long> carryShard(TagKey shadowTag, TagKey liveTag, int slot) {
        TagKey shadowShard = shadow.tagShard(shadowTag, slot);
        TagKey liveShard = live.tagShard(liveTag, slot);
        // In this order: the registry, then (once Redis has it) the global marker; see the class comment.
        String registry = live.tagSlots(liveTag);
        CompletableFuture<Long> globalMarker = writes.send(registry, node -> node.sadd(registry, Integer.toString(slot)))
                .thenCompose(added -> redis.get(liveTag.flushedAt()).toCompletableFuture())
                .thenApply(ShardedTagCarry::time);
        return globalMarker.thenCompose(global -> redis.zrangeWithScores(shadowShard.index(), 0, -1).toCompletableFuture()
                .thenCompose(registered -> {
                    List<CompletableFuture<Long>> missed = new ArrayList<>();
                    for (ScoredValue<String> entry : registered) {
                        long time = (long) entry.getScore();
                        String dataKey = live.entry(shadow.renderedKeyOf(entry.getValue()).orElseThrow()).data();
                        missed.add(register(liveShard, time, dataKey).thenApply(shardMarker -> {
                            long marker = Math.max(global, shardMarker);
                            return marker >= time ? marker : -1L;
                        }));
                    }
                    return CompletableFuture.allOf(missed.toArray(CompletableFuture[]::new))
                            .thenApply(done -> missed.stream().mapToLong(CompletableFuture::join).max().orElse(-1L));
                }));
    }

    /** {@code tag_index R} on a live shard: registers the entry, answers the shard's invalidation time (-1 if none). */
    private CompletableFuture<Long> register(TagKey shard, long time, String dataKey) {
        return library.<Object>call(RedisLibrary.Function.TAG_INDEX, ScriptOutputType.VALUE,
                new String[] {shard.index(), shard.flushedAt()}, "R", Long.toString(time), dataKey)
                .thenApply(marker -> time(marker == null ? null : String.valueOf(marker)));
    }

    private static long time(String marker) {
        return marker == null || marker.isEmpty() ? -1 : Long.parseLong(marker);
    }
}
