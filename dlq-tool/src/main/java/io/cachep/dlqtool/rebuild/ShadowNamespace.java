package io.cachep.dlqtool.rebuild;

import io.cachep.rules.KeyLayout;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** Removal of a rebuild's shadow: after the promote, or before a fresh build (leftovers of an abandoned one). */
final class ShadowNamespace {
    private static final int BATCH = 1000;

    private ShadowNamespace() {}

    /** Unlinks every key of the shadow from {@code cursor} on but {@code keep}; {@code afterBatch} as a scan's. */
    static void remove(RedisClusterCommands<String, String> redis, KeyLayout shadow, Set<String> keep, String cursor,
                       BiConsumer<Integer, String> afterBatch) {
        KeyScan.batches(redis, shadow.scanPattern(), cursor, BATCH, (keys, next) -> {
            List<String> gone = keys.stream().filter(key -> !keep.contains(key)).toList();
            if (!gone.isEmpty()) {
                redis.unlink(gone.toArray(String[]::new));
            }
            afterBatch.accept(keys.size(), next);
        });
    }
}
