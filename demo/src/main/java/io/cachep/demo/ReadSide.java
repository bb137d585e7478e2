package io.cachep.demo;

import io.cachep.client.CachepClient;
import io.cachep.client.ClientStats;
import io.cachep.client.CachepClientException;
import io.cachep.projector.ProjectorApp;
import io.cachep.text.TextTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo's reader: a service reading a few hot entries through cachep-client while the events flow, and how long
 * each projector write takes to reach it as an L1 invalidation (from the projector sending the write to Redis to the
 * client receiving the key's invalidation).
 */
final class ReadSide implements AutoCloseable {
    private static final int HOT_ENTRIES = 50;
    private static final long READ_EVERY_NANOS = Duration.ofMillis(2).toNanos();
    private static final int MAX_SAMPLES = 1_000_000;

    private final String prefix;
    /** Per entry, when the projector sent its earliest write whose invalidation has not arrived yet. */
    private final Map<String, Long> pendingWrites = new ConcurrentHashMap<>();
    private final List<String> hot = new CopyOnWriteArrayList<>();
    private final List<Long> writeToInvalidationNanos = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private final CachepClient client;
    private final Thread reader;

    ReadSide(String redisUri, String namespace, ProjectorApp projector) {
        this.prefix = namespace + ":";
        projector.observeRedisWrites((keys, sentAt) -> keys.forEach(key -> {
            pendingWrites.putIfAbsent(key, sentAt);
            String local = key.substring(prefix.length());
            if (hot.size() < HOT_ENTRIES && !hot.contains(local)) {
                hot.add(local);
            }
        }));
        this.client = CachepClient.builder().redisUri(redisUri).namespace(namespace)
                .maxStaleness(Duration.ofSeconds(30))
                .invalidationListener(this::invalidated)
                .build();
        this.reader = new Thread(this::readHotEntries, "demo-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void invalidated(String key) {
        Long sentAt = pendingWrites.remove(prefix + key);
        if (sentAt != null && writeToInvalidationNanos.size() < MAX_SAMPLES) {
            writeToInvalidationNanos.add(System.nanoTime() - sentAt);
        }
    }

    private void readHotEntries() {
        while (reading.get()) {
            if (!hot.isEmpty()) {
                try {
                    client.entry(hot.get(ThreadLocalRandom.current().nextInt(hot.size())));
                } catch (CachepClientException e) {
                    readErrors.incrementAndGet();
                }
            }
            LockSupport.parkNanos(READ_EVERY_NANOS);
        }
    }

    /** A line for the progress ticker. */
    String progress() {
        ClientStats stats = client.stats();
        return String.format(Locale.ROOT, "reader: %d reads, %.0f%% from the L1, %d invalidations",
                stats.l1Hits() + stats.l1Misses() + stats.l1Stale(), 100 * stats.l1HitRate(), stats.invalidations());
    }

    /** The read side's table, after the events have stopped. */
    String render() {
        ClientStats stats = client.stats();
        List<Long> samples;
        synchronized (writeToInvalidationNanos) {
            samples = new ArrayList<>(writeToInvalidationNanos);
        }
        Collections.sort(samples);
        TextTable table = new TextTable("read side (cachep-client, " + hot.size() + " hot entries)", "value").leftAligned();
        table.row("reads", stats.l1Hits() + stats.l1Misses() + stats.l1Stale());
        table.row("served by the L1", String.format(Locale.ROOT, "%.1f%%", 100 * stats.l1HitRate()));
        table.row("read from Redis", stats.redisHits() + stats.redisMisses());
        table.row("read errors", readErrors.get());
        table.row("invalidations received", stats.invalidations());
        table.row("projector write -> invalidation p50", millis(percentile(samples, 0.50)));
        table.row("projector write -> invalidation p99", millis(percentile(samples, 0.99)));
        table.row("L1 copies differing from Redis (sample)", client.sampleDivergence());
        return table.render();
    }

    private static Long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? null : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    private static String millis(Long nanos) {
        return nanos == null ? "-" : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    @Override
    public void close() throws InterruptedException {
        reading.set(false);
        reader.join(2_000);
        client.close();
    }
}
