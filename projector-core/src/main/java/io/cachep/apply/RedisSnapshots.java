package io.cachep.apply;

import io.cachep.rules.KeyLayout;
import io.cachep.rules.reference.EntrySnapshot;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;

/** Reads every data entry of a namespace as {@link EntrySnapshot}s (metadata keys left out), to compare with the model. */
public final class RedisSnapshots {
    private static final int SCAN_BATCH = 1000;

    private RedisSnapshots() {}

    public static Map<String, EntrySnapshot> read(RedisClusterCommands<String, String> redis, KeyLayout layout) {
        Map<String, EntrySnapshot> entries = new TreeMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(layout.scanPattern()).limit(SCAN_BATCH));
            for (String key : page.getKeys()) {
                if (!layout.isMetadata(key)) {
                    EntrySnapshot entry = read(redis, key);
                    if (entry != null) {
                        entries.put(key, entry);
                    }
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return entries;
    }

    /** One entry, or null when the key is gone (expired between SCAN and read) or of a type cachep never writes. */
    static EntrySnapshot read(RedisClusterCommands<String, String> redis, String key) {
        String type = redis.type(key);
        Object value = switch (type) {
            case "hash" -> new HashMap<>(redis.hgetall(key));
            case "string" -> redis.get(key);
            case "set" -> new HashSet<>(redis.smembers(key));
            case "zset" -> {
                Map<String, Double> scores = new HashMap<>();
                for (ScoredValue<String> scored : redis.zrangeWithScores(key, 0, -1)) {
                    scores.put(scored.getValue(), scored.getScore());
                }
                yield scores;
            }
            default -> null;
        };
        if (value == null) {
            return null;
        }
        long expireTime = redis.pexpiretime(key);
        if (expireTime == -2) {
            return null;
        }
        return new EntrySnapshot(key, EntrySnapshot.Type.valueOf(type.toUpperCase()), value,
                expireTime == -1 ? null : expireTime);
    }
}
