package io.cachep.client;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What a client has counted since it started: reads by layer and outcome, invalidations, and the last divergence
 * sample. Always kept (a few adders), exported to Micrometer when the client is given a registry
 * ({@code MicrometerBinding}), and readable here for services and the demo.
 */
public final class ClientStats {
    final LongAdder l1Hits = new LongAdder();
    final LongAdder l1Misses = new LongAdder();
    final LongAdder l1Stale = new LongAdder();
    final LongAdder redisHits = new LongAdder();
    final LongAdder redisMisses = new LongAdder();
    final LongAdder redisErrors = new LongAdder();
    final LongAdder invalidations = new LongAdder();
    final LongAdder flushes = new LongAdder();
    private volatile long lastInvalidationNanos;
    private volatile int divergent;
    private final LongSupplier l1Size;

    ClientStats(LongSupplier l1Size) {
        this.l1Size = l1Size;
    }

    void invalidated(long count) {
        invalidations.add(count);
        lastInvalidationNanos = System.nanoTime();
    }

    void divergent(int count) {
        divergent = count;
    }

    /** Reads the L1 served fresh. */
    public long l1Hits() {
        return l1Hits.sum();
    }

    /** Reads the L1 could not serve as fresh (no copy, or one not known true), which went to Redis. */
    public long l1Misses() {
        return l1Misses.sum();
    }

    /** Reads served from the L1 flagged stale while Redis did not answer. */
    public long l1Stale() {
        return l1Stale.sum();
    }

    /** Reads Redis answered with an entry. */
    public long redisHits() {
        return redisHits.sum();
    }

    /** Reads Redis answered with no entry. */
    public long redisMisses() {
        return redisMisses.sum();
    }

    /** Reads Redis did not answer (timed out, not connected). */
    public long redisErrors() {
        return redisErrors.sum();
    }

    /** The share of reads the L1 served fresh, 0 before the first read. */
    public double l1HitRate() {
        long hits = l1Hits();
        long all = hits + l1Misses() + l1Stale();
        return all == 0 ? 0 : (double) hits / all;
    }

    /** Keys of the namespace whose change Redis reported (entries and their fences). */
    public long invalidations() {
        return invalidations.sum();
    }

    /** Times the whole L1 was dropped (a FLUSHALL in Redis). */
    public long flushes() {
        return flushes.sum();
    }

    /** Time since the last invalidation arrived, or null before the first. */
    public Duration sinceLastInvalidation() {
        long last = lastInvalidationNanos;
        return last == 0 ? null : Duration.ofNanos(System.nanoTime() - last);
    }

    /** Copies the last divergence sample found differing from Redis (0 when the L1 is true). */
    public int layerDivergence() {
        return divergent;
    }

    /** Entries the L1 holds now (approximately). */
    public long l1Entries() {
        return l1Size.getAsLong();
    }
}
