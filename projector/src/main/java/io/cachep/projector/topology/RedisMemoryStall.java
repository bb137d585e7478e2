package io.cachep.projector.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis is refusing the projector's writes because it is full ({@code OOM}, used memory above maxmemory
 * with noeviction). Such writes are retried like any transient failure, so the projector stalls; this says so on
 * {@code /ready}, in the {@code cachep.redis.out.of.memory} gauge and in one log line when the stall starts and one
 * when it ends, never per batch.
 *
 * <p>A Redis at its limit takes some writes and refuses others (a delete frees memory, the next write takes it), so
 * one acknowledged write does not end the stall: it ends when writes have been acknowledged and none refused for
 * {@link #SETTLE}, which {@link #settle()}, called every second by the health probe, decides.
 */
public final class RedisMemoryStall {
    private static final Logger log = LoggerFactory.getLogger(RedisMemoryStall.class);
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final Counter refusals;
    private volatile Instant since;
    private volatile long lastRefusalNanos;
    private volatile long lastAcknowledgedNanos;

    public RedisMemoryStall(MeterRegistry registry) {
        Gauge.builder("cachep.redis.out.of.memory", this, s -> s.since == null ? 0 : 1)
                .description("1 while Redis refuses writes because used memory is above maxmemory, else 0")
                .register(registry);
        refusals = Counter.builder("cachep.redis.oom.refusals")
                .description("Redis calls refused with OOM (each retried until Redis has room)").register(registry);
    }

    /** A write was refused with OOM. */
    void refused() {
        refusals.increment();
        lastRefusalNanos = System.nanoTime();
        if (since == null) {
            synchronized (this) {
                if (since == null) {
                    since = Instant.now();
                    log.warn("Redis is out of memory (OOM: used memory above maxmemory): writes wait and retry, nothing"
                            + " is skipped or dead-lettered; raise maxmemory or free memory, and the projector resumes"
                            + " by itself");
                }
            }
        }
    }

    /** A write was acknowledged. Called for every batch, so it only notes the time, and only during a stall. */
    void acknowledged() {
        if (since != null) {
            lastAcknowledgedNanos = System.nanoTime();
        }
    }

    /** Ends the stall once writes have been acknowledged and none refused for {@link #SETTLE}. */
    public void settle() {
        if (since == null) {
            return;
        }
        synchronized (this) {
            long refusedAt = lastRefusalNanos;
            if (since != null && lastAcknowledgedNanos - refusedAt > 0 && System.nanoTime() - refusedAt >= SETTLE.toNanos()) {
                log.info("Redis accepts writes again after {} s out of memory", Duration.between(since, Instant.now()).toSeconds());
                since = null;
            }
        }
    }

    /** Since when writes have been refused for memory, while they are. */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }
}
