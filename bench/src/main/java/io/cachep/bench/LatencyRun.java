package io.cachep.bench;

import io.cachep.producer.scenario.FaultInjector;
import io.cachep.producer.scenario.SessionScenario;
import io.cachep.rules.KeyLayout;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;

/**
 * Produce-to-visible latency under a steady live load: events are produced at a fixed rate while a reader polls Redis
 * for the entries that sampled events create (a new session's hash), and notes when each one first shows. The latency
 * is from just before {@code send} to the reader seeing the entry, both on this JVM's monotonic clock: producer
 * batching, broker, the projector's fetch, processing, pipelining and commit path, and Redis, all included.
 */
final class LatencyRun {
    /** Every this-many-th new session is sampled: a few hundred samples a second, a light load for the reader. */
    static final int SAMPLE_EVERY = 8;
    /** A sampled entry not seen by then is counted as unobserved (a session ended before the reader looked). */
    private static final long GIVE_UP_NANOS = Duration.ofSeconds(30).toNanos();
    /** Samples checked per round, oldest first: while the oldest are not visible yet, newer ones rarely are. */
    private static final int MAX_CHECKS_PER_ROUND = 256;

    record Result(double rate, long produced, long[] sortedLatencyNanos, long unobserved) {
        double percentileMillis(double p) {
            return Timings.nearestRank(sortedLatencyNanos, p) / 1e6;
        }
    }

    private record Sample(String key, long sentNanos) {}

    private LatencyRun() {}

    /**
     * Produces {@code stream}'s next events at {@code rate} per second for {@code warmUp} plus {@code duration},
     * sampling only after the warm-up: the first seconds of live load measure the JIT and the switch from catching up,
     * not the steady state.
     */
    static Result run(Producer<String, byte[]> producer, FaultInjector stream, double rate, Duration warmUp,
                      Duration duration, StatefulRedisConnection<String, String> reader, KeyLayout layout)
            throws InterruptedException {
        ConcurrentLinkedQueue<Sample> sent = new ConcurrentLinkedQueue<>();
        List<Long> latencies = new ArrayList<>();
        long[] unobserved = {0};
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread readerThread = new Thread(() -> {
            try {
                read(reader.async(), sent, producing, latencies, unobserved);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "bench-latency-reader");
        readerThread.start();

        long[] sessionsStarted = {0};
        long produced;
        long sampleFrom = System.nanoTime() + warmUp.toNanos();
        try {
            produced = PacedProducer.run(producer, stream, rate, warmUp.plus(duration), () -> failure.get() != null, event -> {
                if (event.kind().equals(SessionScenario.STARTED) && ++sessionsStarted[0] % SAMPLE_EVERY == 0
                        && System.nanoTime() >= sampleFrom) {
                    sent.add(new Sample(layout.entry("session:{" + event.key() + "}").data(), System.nanoTime()));
                }
            });
        } finally {
            producing.set(false);
            readerThread.join(TimeUnit.SECONDS.toMillis(60));
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the latency reader failed: " + failure.get(), failure.get());
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Result(rate, produced, sorted, unobserved[0]);
    }

    /**
     * Until production has stopped and every sample is seen or given up: one pipelined EXISTS round per pass over the
     * oldest pending samples only, so a projector that falls behind is not also buried under the reader's own load.
     */
    private static void read(RedisAsyncCommands<String, String> redis, ConcurrentLinkedQueue<Sample> sent,
                             AtomicBoolean producing, List<Long> latencies, long[] unobserved) throws Exception {
        List<Sample> pending = new ArrayList<>();
        while (producing.get() || !pending.isEmpty() || !sent.isEmpty()) {
            for (Sample s; (s = sent.poll()) != null; ) {
                pending.add(s);
            }
            if (pending.isEmpty()) {
                LockSupport.parkNanos(200_000);
                continue;
            }
            List<Sample> checking = pending.subList(0, Math.min(pending.size(), MAX_CHECKS_PER_ROUND));
            List<RedisFuture<Long>> checks = new ArrayList<>(checking.size());
            for (Sample sample : checking) {
                checks.add(redis.exists(sample.key()));
            }
            long now = System.nanoTime();
            Iterator<Sample> it = checking.iterator();
            for (RedisFuture<Long> check : checks) {
                Sample sample = it.next();
                if (check.get(10, TimeUnit.SECONDS) == 1) {
                    latencies.add(System.nanoTime() - sample.sentNanos());
                    it.remove();
                } else if (now - sample.sentNanos() > GIVE_UP_NANOS) {
                    unobserved[0]++;
                    it.remove();
                }
            }
        }
    }
}
