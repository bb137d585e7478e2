package io.cachep.apply;

import io.cachep.rules.KeyLayout;
import io.cachep.rules.reference.Divergence;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The last verify's result, kept in Redis at {@code <namespace>:~verify} (a hash), where the projector reads it for
 * its {@code cachep_cache_divergence} gauge: verify runs as a separate process, and Redis is what both share.
 */
public final class VerificationRecord {
    static final String SEGMENT = "~verify";
    /** The field of the sum of every kind. */
    public static final String DIVERGENT = "divergent";

    private VerificationRecord() {}

    public static String key(KeyLayout layout) {
        return layout.namespace() + ":" + SEGMENT;
    }

    /** @param byKind the divergent entries by kind (kinds left out: none) */
    public static void write(RedisClusterCommands<String, String> redis, KeyLayout layout, long entries,
                             Map<Divergence.Kind, Long> byKind) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("at", Instant.now().toString());
        fields.put("entries", Long.toString(entries));
        fields.put(DIVERGENT, Long.toString(byKind.values().stream().mapToLong(Long::longValue).sum()));
        for (Divergence.Kind kind : Divergence.Kind.values()) {
            fields.put(field(kind), Long.toString(byKind.getOrDefault(kind, 0L)));
        }
        redis.hset(key(layout), fields);
    }

    /** The field of one kind's count: its name in lower case ({@code missing}, {@code different_value}, ...). */
    public static String field(Divergence.Kind kind) {
        return kind.name().toLowerCase();
    }

    /** The number of divergent entries the last verify found, if one ran. */
    public static OptionalLong divergent(RedisClusterCommands<String, String> redis, KeyLayout layout) {
        String value = redis.hget(key(layout), DIVERGENT);
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
    }
}
