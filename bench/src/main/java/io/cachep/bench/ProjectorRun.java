package io.cachep.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The projector end to end: its processes read the pre-loaded topics from the start; the clock runs from the first
 * event handled to the last, read off each instance's {@code cachep_events_total} (counted when Redis acknowledges
 * the event's writes). Meanwhile it samples the CPU of every process, Redis's own CPU (of every server: on a Redis
 * Cluster, each primary and replica), the projectors' RSS, and once, half way, their heap after a full GC. Then it
 * waits for the committed offsets to reach the end (zero lag).
 */
final class ProjectorRun {
    /** How often the instances' metrics are read: each read is a Prometheus scrape, a few ms of the projector's CPU. */
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    /**
     * @param secondHalfJvmMicrosPerEvent the projector JVMs' CPU per event over the second half of the events only
     *                                    (from just after the heap measurement): by then the JIT compilers, a large
     *                                    share of a young JVM's CPU, are mostly done, so this is what a projector
     *                                    that has been running a while spends
     * @param redis                       the Redis servers' use summed over the primaries (one server: its own)
     * @param redisNodes                  each server's use, primaries first, and the keys it holds at zero lag
     */
    record Result(Throughput throughput, RedisStats redis, List<RedisNodes.Use> redisNodes, Map<String, Double> cores,
                  long peakRssBytes,
                  long heapAfterGcBytes, double secondsToZeroLag, Map<String, Long> outcomes,
                  Map<String, Integer> partitionsByMember, Double secondHalfJvmMicrosPerEvent) {}

    private ProjectorRun() {}

    static Result measure(String name, ProjectorFleet fleet, long expected, Admin admin, LagProbe lag,
                          RedisNodes redis, CpuSplit cpu) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long handledAtStart = -1;
        long startNanos = 0;
        Map<String, RedisStats> redisAtStart = null;
        long peakRss = 0;
        long heapAfterGc = -1;
        long handled = 0;
        long handledAtHalf = -1;
        double jvmCpuAtHalf = 0;
        while (true) {
            fleet.requireAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": only " + handled + " of " + expected + " events handled in " + TIMEOUT);
            }
            handled = fleet.eventsHandled();
            if (handledAtStart < 0 && handled > 0) {
                startNanos = System.nanoTime();
                handledAtStart = handled;
                redisAtStart = redis.read();
                cpu.start();
            }
            if (handledAtStart >= 0) {
                peakRss = Math.max(peakRss, fleet.rssBytes());
                if (heapAfterGc < 0 && handled >= expected / 2) {
                    heapAfterGc = fleet.heapAfterFullGc();
                    handledAtHalf = fleet.eventsHandled();
                    jvmCpuAtHalf = fleet.cpuSeconds();
                }
            }
            if (handled >= expected) {
                break;
            }
            Thread.sleep(POLL.toMillis()); // a sampling interval, not a wait for a condition: the loop checks it
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Double secondHalfJvm = handledAtHalf < 0 || handled <= handledAtHalf ? null
                : (fleet.cpuSeconds() - jvmCpuAtHalf) * 1e6 / (handled - handledAtHalf);
        Map<String, Double> cores = cpu.coresSinceStart();
        Map<String, RedisStats> redisAtEnd = redis.read();
        Throughput throughput = new Throughput(name, expected - handledAtStart, seconds);
        lag.awaitZero(TIMEOUT);
        double toZeroLag = (System.nanoTime() - startNanos) / 1e9;
        List<RedisNodes.Use> redisUsed = redis.usedSince(redisAtStart, redisAtEnd);
        return new Result(throughput, RedisNodes.primariesTotal(redisUsed), redisUsed, cores, peakRss, heapAfterGc,
                toZeroLag, fleet.outcomes(),
                ConsumerGroups.partitionsByMember(admin, fleet.applicationId), secondHalfJvm);
    }
}
