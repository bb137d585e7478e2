package io.cachep.dlqtool.rebuild;

import io.cachep.apply.RedisTarget;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.SlotTokens;
import io.cachep.scan.KeyScan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Removal of a rebuild's shadow: after the promote, or before a fresh build (leftovers of an abandoned one). */
final class ShadowNamespace {
    private static final int BATCH = 1000;

    private ShadowNamespace() {}

    /** Unlinks every key of the shadow from {@code cursor} on but {@code keep}; {@code afterBatch} as a scan's. */
    static void remove(RedisTarget redis, KeyLayout shadow, Set<String> keep, String cursor,
                       BiConsumer<Integer, String> afterBatch) {
        KeyScan.batches(redis, shadow.scanPattern(), cursor, BATCH, (keys, next) -> {
            List<String> gone = keys.stream().filter(key -> !keep.contains(key)).toList();
            unlink(redis, gone);
            afterBatch.accept(keys.size(), next);
        });
    }

    /**
     * One UNLINK per slot on a cluster (a command's keys must share a slot), sent together and all awaited; one
     * UNLINK on a single server.
     */
    private static void unlink(RedisTarget redis, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        if (!redis.cluster()) {
            redis.sync().unlink(keys.toArray(String[]::new));
            return;
        }
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        keys.forEach(key -> bySlot.computeIfAbsent(SlotTokens.slotOf(key), slot -> new ArrayList<>()).add(key));
        // Each call is bounded by the command timeout; a failure stops the pass, and the next run removes the rest.
        List<CompletableFuture<Long>> calls = new ArrayList<>(bySlot.size());
        bySlot.values().forEach(slotKeys -> calls.add(redis.async().unlink(slotKeys.toArray(String[]::new)).toCompletableFuture()));
        calls.forEach(CompletableFuture::join);
    }
}
