package io.cachep.client;

import java.time.Duration;

/**
 * Remembers that Redis just failed to answer, so reads in the next {@code retryInterval} go straight to the L1 (or
 * fail) instead of each waiting out the read timeout against a Redis that is down or paused.
 */
final class RedisOutage {
    private final long retryIntervalNanos;
    private volatile long retryAtNanos;
    private volatile Throwable cause;

    RedisOutage(Duration retryInterval) {
        this.retryIntervalNanos = retryInterval.toNanos();
    }

    void failed(Throwable failure, long nowNanos) {
        cause = failure;
        retryAtNanos = nowNanos + retryIntervalNanos;
    }

    void answered() {
        cause = null;
    }

    /** The failure that makes reads skip Redis now, or null when Redis should be asked. */
    Throwable skipRedis(long nowNanos) {
        Throwable current = cause;
        return current != null && nowNanos - retryAtNanos < 0 ? current : null;
    }
}
