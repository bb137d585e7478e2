package io.cachep.dlqtool.rebuild;

import io.cachep.rules.KeyLayout;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.UUID;

/**
 * One rebuild of a namespace at a time: two would share one shadow, and one's clean-up would pull entries from under
 * the other's promotes. A key with a random owner and a time to live, renewed at every checkpoint, so a killed run
 * holds it for at most {@link #TTL}.
 */
public final class RebuildLease implements AutoCloseable {
    public static final Duration TTL = Duration.ofSeconds(60);

    private final RedisClusterCommands<String, String> redis;
    private final String key;
    private final String owner = UUID.randomUUID().toString();

    private RebuildLease(RedisClusterCommands<String, String> redis, String key) {
        this.redis = redis;
        this.key = key;
    }

    public static String key(KeyLayout shadow) {
        return shadow.namespace() + ":~lease";
    }

    /** The lease, or a failure naming how long another run holds it. */
    public static RebuildLease acquire(RedisClusterCommands<String, String> redis, KeyLayout shadow) {
        RebuildLease lease = new RebuildLease(redis, key(shadow));
        if (redis.set(lease.key, lease.owner, SetArgs.Builder.nx().px(TTL.toMillis())) == null) {
            throw new RebuildRefusedException("another rebuild of this namespace is running (or was killed less than "
                    + TTL.toSeconds() + " s ago: its lease expires in " + Math.max(0, redis.pttl(lease.key)) + " ms)");
        }
        return lease;
    }

    /**
     * Renews the lease. Fails if it was lost (this run stalled past the time to live and another took over): going on
     * would race the other run. The check and the renewal are two commands; the window between them is milliseconds
     * against a time to live of a minute.
     */
    public void renew() {
        if (!owner.equals(redis.get(key))) {
            throw new IllegalStateException("lost the rebuild lease " + key + " (stalled over " + TTL.toSeconds()
                    + " s?): another rebuild may be running; stopping");
        }
        redis.pexpire(key, TTL.toMillis());
    }

    @Override
    public void close() {
        if (owner.equals(redis.get(key))) {
            redis.del(key);
        }
    }
}
