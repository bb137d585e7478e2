package io.cachep.apply;

import io.lettuce.core.RedisException;

/**
 * A write Redis applied that {@code WAIT} did not see reach enough replicas in time: transient ({@link RedisFailure}),
 * so the batch is sent again (a duplicate there, by its fence) and waited for again, and its offsets are not
 * committed meanwhile.
 */
public final class ReplicasShortException extends RedisException {
    public ReplicasShortException(String shard, long acknowledged, int wanted, long timeoutMillis) {
        super("WAIT: " + acknowledged + " of " + wanted + " replicas of the Redis primary " + shard
                + " acknowledged the write within " + timeoutMillis + " ms");
    }
}
