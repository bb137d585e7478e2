package io.cachep.scan;

import io.cachep.apply.RedisTarget;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * SCAN in batches, resumable: each batch comes with the cursor after it, which a checkpoint can store and a later run
 * can continue from (SCAN returns every key present for the whole scan, across connections and restarts of the scan).
 * On a Redis Cluster every primary is scanned and the cursor is a {@link ClusterScanPosition} ({@link ClusterKeyScan});
 * on a single server it is SCAN's own, as checkpoints have always stored it.
 */
public final class KeyScan {
    private KeyScan() {}

    /**
     * Hands {@code each} the keys matching {@code pattern} from {@code cursor} on, in batches of about {@code size}
     * keys (fewer at the end), with the cursor to resume from after that batch ({@code "0"} once the scan is done).
     */
    public static void batches(RedisTarget redis, String pattern, String cursor, int size, BiConsumer<List<String>, String> each) {
        if (redis.cluster()) {
            ClusterKeyScan.batches(redis, pattern, cursor, size, each);
        } else {
            // A cluster position on a single server (the data moved): the pass starts again, which it allows.
            batches(redis.sync(), pattern, ClusterScanPosition.isCluster(cursor) ? "0" : cursor, size, each);
        }
    }

    /** One server's keys (on a cluster, one node's). */
    static void batches(RedisClusterCommands<String, String> redis, String pattern, String cursor, int size,
                        BiConsumer<List<String>, String> each) {
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(size);
        ScanCursor at = ScanCursor.of(cursor);
        List<String> batch = new ArrayList<>();
        while (true) {
            KeyScanCursor<String> page = redis.scan(at, args);
            batch.addAll(page.getKeys());
            if (page.isFinished()) {
                each.accept(batch, "0");
                return;
            }
            if (batch.size() >= size) {
                each.accept(batch, page.getCursor());
                batch = new ArrayList<>();
            }
            at = page;
        }
    }

    /** One batch of a scan: the keys, and the cursor to continue from ("0": the scan is done). */
    public record Batch(List<String> keys, String next) {}

    /**
     * The next batch of about {@code size} keys from {@code cursor} ("0": a new scan), for a caller that scans a
     * little at a time between other work (verify --follow's sweep).
     */
    public static Batch next(RedisTarget redis, String pattern, String cursor, int size) {
        Batch[] first = {null};
        try {
            batches(redis, pattern, cursor, size, (keys, next) -> {
                first[0] = new Batch(keys, next);
                throw new FirstBatch();
            });
        } catch (FirstBatch enough) {
            // batches hands over whole batches with their cursor, so stopping after the first loses nothing
        }
        return first[0];
    }

    /** Ends {@link #batches} after the batch {@link #next} wanted. */
    private static final class FirstBatch extends RuntimeException {
        FirstBatch() {
            super(null, null, false, false);
        }
    }

    /** How many keys match (a progress bar's total). */
    public static long count(RedisTarget redis, String pattern) {
        long[] count = {0};
        batches(redis, pattern, "0", 1000, (keys, next) -> count[0] += keys.size());
        return count[0];
    }
}
