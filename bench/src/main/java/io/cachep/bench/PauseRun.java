package io.cachep.bench;

import io.cachep.devstack.RedisServer;
import io.cachep.producer.scenario.FaultInjector;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;

/**
 * Memory through a Redis outage: redis-server is paused (SIGSTOP) while events keep arriving at a steady rate; the
 * projector must stall, not buffer. Its heap after a full GC and its RSS are sampled through the pause; then Redis
 * comes back and the projector must catch up on its own.
 */
final class PauseRun {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(15);

    record Result(Duration pause, double rate, long produced, long heapBeforeBytes, long peakHeapAfterGcBytes,
                  long peakRssBytes, double secondsToCatchUp) {}

    private PauseRun() {}

    static Result run(Producer<String, byte[]> producer, FaultInjector stream, double rate, Duration pause,
                      RedisServer redis, ProjectorFleet fleet, LagProbe lag) throws Exception {
        long heapBefore = fleet.heapAfterFullGc();
        AtomicBoolean stop = new AtomicBoolean();
        redis.pause();
        long peakHeap = 0;
        long peakRss = 0;
        long produced;
        try {
            CompletableFuture<Long> production = CompletableFuture.supplyAsync(
                    () -> PacedProducer.run(producer, stream, rate, pause, stop::get, event -> { }));
            long end = System.nanoTime() + pause.toNanos();
            while (System.nanoTime() < end) {
                fleet.requireAlive();
                peakHeap = Math.max(peakHeap, fleet.heapAfterFullGc());
                peakRss = Math.max(peakRss, fleet.rssBytes());
                Thread.sleep(Math.min(SAMPLE_EVERY.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
            produced = production.join();
        } finally {
            stop.set(true);
            redis.resume();
        }
        long resumed = System.nanoTime();
        lag.awaitZero(Duration.ofMinutes(10));
        return new Result(pause, rate, produced, heapBefore, peakHeap, peakRss, (System.nanoTime() - resumed) / 1e9);
    }
}
