package io.cachep.apply;

import io.cachep.rules.KeyLayout;
import io.cachep.rules.reference.Divergence;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The last verify's result, kept in Redis at {@code <namespace>:~verify} (a hash), where the projector reads it for
 * its {@code cachep_cache_divergence} gauge: verify runs as a separate process, and Redis is what both share.
 */
public final class VerificationRecord {
    static final String SEGMENT = "~verify";

    private VerificationRecord() {}

    public static String key(KeyLayout layout) {
        return layout.namespace() + ":" + SEGMENT;
    }

    public static void write(RedisClusterCommands<String, String> redis, KeyLayout layout, int entries, List<Divergence> divergences) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("at", Instant.now().toString());
        fields.put("entries", Integer.toString(entries));
        fields.put("divergent", Integer.toString(divergences.size()));
        for (Divergence.Kind kind : Divergence.Kind.values()) {
            fields.put(kind.name().toLowerCase(), Long.toString(divergences.stream().filter(d -> d.kind() == kind).count()));
        }
        redis.hset(key(layout), fields);
    }

    /** The number of divergent entries the last verify found, if one ran. */
    public static OptionalLong divergent(RedisClusterCommands<String, String> redis, KeyLayout layout) {
        String value = redis.hget(key(layout), "divergent");
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
    }
}
