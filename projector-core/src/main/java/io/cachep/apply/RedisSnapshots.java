package io.cachep.apply;

import io.cachep.rules.KeyLayout;
import io.cachep.rules.reference.EntrySnapshot;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.TreeMap;

/** Reads every data entry of a namespace as {@link EntrySnapshot}s (metadata keys left out), to compare with the model. */
public final class RedisSnapshots {
    private static final int SCAN_BATCH = 1000;

    private RedisSnapshots() {}

    /**
     * Every entry of a single server or a Redis Cluster: on a cluster each primary is scanned on its own, as the
     * topology is now (a failover moves a shard to a new primary), and each entry read from its slot's primary.
     */
    public static Map<String, EntrySnapshot> read(RedisTarget redis, KeyLayout layout) {
        if (!redis.cluster()) {
            return read(redis.sync(), layout);
        }
        Map<String, EntrySnapshot> entries = new TreeMap<>();
        for (RedisTarget.Primary primary : redis.primariesWithSlotsNow()) {
            scan(primary.commands(), layout, key -> {
                EntrySnapshot entry = read(redis.sync(), key);
                if (entry != null) {
                    entries.put(key, entry);
                }
            });
        }
        return entries;
    }

    /** Every entry of one server (on a cluster, of one node: use {@link #read(RedisTarget, KeyLayout)}). */
    public static Map<String, EntrySnapshot> read(RedisClusterCommands<String, String> redis, KeyLayout layout) {
        Map<String, EntrySnapshot> entries = new TreeMap<>();
        scan(redis, layout, key -> {
            EntrySnapshot entry = read(redis, key);
            if (entry != null) {
                entries.put(key, entry);
            }
        });
        return entries;
    }

    private static void scan(RedisClusterCommands<String, String> redis, KeyLayout layout,
                             java.util.function.Consumer<String> dataKey) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(layout.scanPattern()).limit(SCAN_BATCH));
            for (String key : page.getKeys()) {
                if (!layout.isMetadata(key)) {
                    dataKey.accept(key);
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /**
     * The entries under these keys, read pipelined (two round trips for the lot: each key's type, then its value and
     * expiry); keys that are absent, expired meanwhile or of a type cachep never writes are left out. On a Redis
     * Cluster, pass the cluster's commands: each key is read from its slot's node.
     */
    public static Map<String, EntrySnapshot> readAll(RedisClusterAsyncCommands<String, String> redis,
                                                     Collection<String> keys) {
        Map<String, RedisFuture<String>> types = new LinkedHashMap<>();
        keys.forEach(key -> types.put(key, redis.type(key)));
        Map<String, CompletableFuture<Object>> values = new LinkedHashMap<>();
        Map<String, RedisFuture<Long>> expiries = new LinkedHashMap<>();
        types.forEach((key, type) -> {
            CompletableFuture<Object> value = switch (type.toCompletableFuture().join()) {
                case "hash" -> redis.hgetall(key).toCompletableFuture().thenApply(HashMap::new);
                case "string" -> redis.get(key).toCompletableFuture().thenApply(v -> v);
                case "set" -> redis.smembers(key).toCompletableFuture().thenApply(HashSet::new);
                case "zset" -> redis.zrangeWithScores(key, 0, -1).toCompletableFuture().thenApply(scored -> {
                    Map<String, Double> scores = new HashMap<>();
                    scored.forEach(s -> scores.put(s.getValue(), s.getScore()));
                    return scores;
                });
                default -> null;
            };
            if (value != null) {
                values.put(key, value);
                expiries.put(key, redis.pexpiretime(key));
            }
        });
        Map<String, EntrySnapshot> entries = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            Object read = value.join();
            long expireTime = expiries.get(key).toCompletableFuture().join();
            if (read != null && expireTime != -2) {
                String type = types.get(key).toCompletableFuture().join();
                entries.put(key, new EntrySnapshot(key, EntrySnapshot.Type.valueOf(type.toUpperCase()), read,
                        expireTime == -1 ? null : expireTime));
            }
        });
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
