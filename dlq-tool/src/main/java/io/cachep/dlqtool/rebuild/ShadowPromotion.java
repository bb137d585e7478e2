package io.cachep.dlqtool.rebuild;

import io.cachep.apply.PromoteOutcome;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.ShadowPromoter;
import io.cachep.dlqtool.rebuild.RebuildCounts.Count;
import io.cachep.rules.KeyLayout;
import io.cachep.scan.KeyScan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The switch from the shadow to the live namespace, entry by entry, in batches. For each batch: read the live fences,
 * then catch the shadow up with the log (so it holds every event the projector had applied when they were read), then
 * promote each entry with the library's {@code promote}, which keeps what the projector has written since where it is
 * newer. See docs/architecture.md, "Rebuild". On a Redis Cluster each pass scans every primary ({@link KeyScan}) and
 * each call keeps to one slot: an entry's live and shadow keys share its hash tag.
 *
 * <ol>
 *   <li>{@link #shadowEntries}: every entry the shadow holds (so every entry the log touched, tombstones too).</li>
 *   <li>{@link #liveEntries}: every live entry the first pass did not promote: the log implies nothing there (dropped,
 *       unless the projector wrote it since), or the shadow got it from a later catch-up.</li>
 *   <li>{@link #tags}: tag registrations and invalidations, so the projector's later invalidations reach promoted
 *       entries.</li>
 * </ol>
 */
public final class ShadowPromotion {
    /** Entries per batch: one fence read, one catch-up and one pipeline of promotes each. */
    static final int BATCH = 500;

    private final RedisTarget redis;
    private final ShadowPromoter promoter;
    private final KeyLayout live;
    private final KeyLayout shadow;
    private final ShadowBuild build;
    private final RebuildCounts counts;

    public ShadowPromotion(RedisTarget redis, ShadowPromoter promoter, KeyLayout live,
                           ShadowBuild build, RebuildCounts counts) {
        this.redis = redis;
        this.promoter = promoter;
        this.live = live;
        this.shadow = live.shadow();
        this.build = build;
        this.counts = counts;
    }

    /** How many entries the shadow holds (the first pass's total). */
    public long shadowEntryCount() {
        return KeyScan.count(redis, shadow.fenceScanPattern());
    }

    /** Pass 1 from {@code cursor}; {@code afterBatch} gets the entries done and the cursor to resume from. */
    public void shadowEntries(String cursor, BiConsumer<Integer, String> afterBatch) {
        KeyScan.batches(redis, shadow.fenceScanPattern(), cursor, BATCH, (keys, next) -> {
            Set<String> entries = new LinkedHashSet<>();
            keys.forEach(key -> shadow.renderedKeyOf(key).ifPresent(entries::add));
            promote(entries, true);
            counts.add(Count.BUILT, entries.size());
            afterBatch.accept(keys.size(), next);
        });
    }

    /** Pass 2 from {@code cursor}; {@code afterBatch} as for {@link #shadowEntries}. */
    public void liveEntries(String cursor, BiConsumer<Integer, String> afterBatch) {
        KeyScan.batches(redis, live.scanPattern(), cursor, BATCH, (keys, next) -> {
            // An entry is visited through its fence; a data key only when it has none (written by hand, or damaged).
            Map<String, CompletableFuture<Boolean>> skip = new LinkedHashMap<>();
            for (String key : keys) {
                live.renderedKeyOf(key).ifPresent(entry -> {
                    CompletableFuture<Boolean> promoted = promoter.isPromoted(entry);
                    CompletableFuture<Boolean> fenced = key.equals(live.entry(entry).fence())
                            ? CompletableFuture.completedFuture(false)
                            : redis.async().exists(live.entry(entry).fence()).toCompletableFuture().thenApply(n -> n > 0);
                    skip.merge(entry, promoted.thenCombine(fenced, Boolean::logicalOr), (a, b) -> a.thenCombine(b, Boolean::logicalAnd));
                });
            }
            Set<String> entries = new LinkedHashSet<>();
            skip.forEach((entry, skipped) -> {
                if (!skipped.join()) {
                    entries.add(entry);
                }
            });
            promote(entries, false);
            afterBatch.accept(keys.size(), next);
        });
    }

    /** Pass 3 from {@code cursor}: every tag the shadow holds. */
    public void tags(String cursor, BiConsumer<Integer, String> afterBatch) {
        KeyScan.batches(redis, shadow.tagScanPattern(), cursor, BATCH, (keys, next) -> {
            Set<String> tags = new LinkedHashSet<>();
            keys.forEach(key -> shadow.renderedTagOf(key).ifPresent(tags::add));
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            tags.forEach(tag -> calls.add(promoter.promoteTag(tag)));
            calls.forEach(CompletableFuture::join);
            counts.add(Count.TAGS, tags.size());
            afterBatch.accept(keys.size(), next);
        });
    }

    private void promote(Set<String> entries, boolean fromShadow) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, CompletableFuture<Map<String, String>>> fences = new LinkedHashMap<>();
        entries.forEach(entry -> fences.put(entry, promoter.readFence(entry)));
        fences.values().forEach(CompletableFuture::join);
        // Only now: the shadow must hold every event the projector had applied when the fences were read.
        build.catchUp();
        List<CompletableFuture<PromoteOutcome>> outcomes = new ArrayList<>();
        fences.forEach((entry, fence) -> outcomes.add(promoter.promote(entry, fence.join())));
        outcomes.forEach(outcome -> counts.add(outcome.join(), fromShadow));
    }
}
