package io.cachep.apply;

import io.cachep.rules.EntryKey;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.SlotTokens;
import io.cachep.rules.TagKey;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * On a Redis Cluster, places a tagged write's registration in the tag's index shard on the entry's slot, and before
 * the first such write per tag and slot, announces the slot in the tag's registry: {@code SADD} the slot, then
 * {@code GET} the tag's global invalidation marker, which that write carries as the floor of the shard's marker
 * (docs/architecture.md, "Tags across slots", says why no write then escapes an invalidation).
 *
 * <p>An announcement is remembered once a call that carried its floor has succeeded (from then on the floor is in
 * the shard), or at once when there was no marker to carry; until then every write on that tag and slot announces
 * again, so a failed call's retry still carries a floor. At most {@value #REMEMBERED} are remembered, the oldest
 * forgotten first: forgetting costs an announcement, never correctness.
 */
final class TagAnnouncer implements FencedApplyScript.TagPlacement {
    private static final int REMEMBERED = 100_000;

    private final RedisTarget redis;
    private final KeyLayout layout;
    private final Duration timeout;
    private final Set<String> announced = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    TagAnnouncer(RedisTarget redis, KeyLayout layout, Duration timeout) {
        this.redis = redis;
        this.layout = layout;
        this.timeout = timeout;
    }

    @Override
    public FencedApplyScript.Registration place(TagKey tag, EntryKey entry) {
        int slot = SlotTokens.slotOf(entry.data());
        TagKey shard = layout.tagShard(tag, slot);
        String id = id(tag, slot);
        if (announced.contains(id)) {
            return new FencedApplyScript.Registration(shard, "", null);
        }
        // In this order: the registry (acknowledged, by replicas too when configured), only then the marker (see the
        // class comment).
        CompletableFuture<String> marker = redis.writes()
                .send(layout.tagSlots(tag), node -> node.sadd(layout.tagSlots(tag), Integer.toString(slot)))
                .thenCompose(added -> redis.async().get(tag.flushedAt()));
        String floor;
        try {
            // Twice the command timeout: two commands, one after the other (and a WAIT's own bound within each).
            floor = marker.get(2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.lettuce.core.RedisException("interrupted while announcing a tag's slot", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new io.lettuce.core.RedisException(e.getCause());
        } catch (TimeoutException e) {
            throw new io.lettuce.core.RedisCommandTimeoutException("announcing a tag's slot took over " + 2 * timeout.toMillis() + " ms");
        }
        if (floor == null) {
            announced.add(id); // nothing to carry: the registry alone makes later invalidations visit the shard
            return new FencedApplyScript.Registration(shard, "", null);
        }
        return new FencedApplyScript.Registration(shard, floor, id);
    }

    /** The calls that carried these announcements' floors succeeded: the floors are in their shards. */
    void confirm(Iterable<String> announcements) {
        announcements.forEach(announced::add);
    }

    private static String id(TagKey tag, int slot) {
        return slot + ":" + tag.name();
    }
}
