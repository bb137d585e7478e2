package io.cachep.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.apply.ApplyBatcher;
import io.cachep.apply.ApplyOutcome;
import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.RedisConnector;
import io.cachep.client.CachepClient;
import io.cachep.client.Read;
import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import io.cachep.rulesfile.RulesFileLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The read side (issue 15): cachep-client's reads and invalidations, on hash entries written by the projector's own
 * fenced apply ({@link RedisApplier} behind {@link ApplyBatcher}, from events through a one-rule {@link RuleEngine}),
 * so every entry has its fence and a real version. Measured, single-threaded, one after the other:
 * <ol>
 *   <li>an L1 hit: a client whose L1 holds every entry, reading random keys (the rate untimed, then each read timed);</li>
 *   <li>a Redis read: a client without an L1 (its read script: entry, fence and TTL in one {@code EVALSHA_RO}) and,
 *       interleaved with it in blocks so that both see the same machine, a plain Lettuce {@code HGETALL};</li>
 *   <li>write to invalidation: fenced writes of new versions to hot keys the L1 holds, one at a time at a paced rate,
 *       from just before each write is sent to the L1 client's invalidation listener hearing of its key; then to a
 *       read through that client returning the new version.</li>
 * </ol>
 * All on this JVM's monotonic clock. The reads and the writes share the cores with {@code redis-server}.
 */
final class ClientRun {
    static final String NAMESPACE = "bench-client";
    private static final String TOPIC = "items";
    private static final String TYPE = "bench.item.updated";
    /** One upsert rule: a hash of four fields per item, as the projector writes it, fenced by the item's version. */
    static final String RULES = """
            namespace: bench-client
            tombstone-retention: 1h
            rules:
              - name: item-updated
                topic: items
                type: bench.item.updated
                mutations:
                  - upsert:
                      key: "item:{subject}"
                      hash: { name: "{data.name}", price: "{data.price}", stock: "{data.stock}", updatedAt: "{time}" }
            """;
    /** Keys the writes go to, round robin: each is written many times, and the L1 holds each between its writes. */
    static final int HOT_KEYS = 100;
    /** A write whose invalidation has not arrived by then is counted as not seen. */
    private static final Duration INVALIDATION_TIMEOUT = Duration.ofSeconds(1);
    /** Reads of each kind in a row before the other kind's turn, in the Redis-read part. */
    private static final int BLOCK = 1000;
    private static final int WINDOW = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How much to do; the defaults take about 20 s on two cores.
     *
     * @param entries    hash entries pre-loaded (and held by the L1)
     * @param l1Reads    L1 hits timed (and as many again for the rate)
     * @param redisReads reads of each Redis kind timed (client without L1, plain HGETALL)
     * @param writes     fenced writes to the hot keys
     * @param writeRate  the most writes per second
     */
    record Options(int entries, int l1Reads, int redisReads, int writes, double writeRate) {
        static final Options DEFAULTS = new Options(10_000, 1_000_000, 50_000, 2_000, 1_000);

        Options {
            if (entries < 1 || l1Reads < 1 || redisReads < 1 || writes < 1 || !(writeRate > 0)) {
                throw new IllegalArgumentException("the client run needs at least one entry, L1 read, Redis read and"
                        + " write, and a positive write rate; was entries " + entries + ", l1Reads " + l1Reads
                        + ", redisReads " + redisReads + ", writes " + writes + ", writeRate " + writeRate);
            }
        }

        int hotKeys() {
            return Math.min(HOT_KEYS, entries);
        }
    }

    /**
     * What was measured.
     *
     * @param l1Hit                  each L1 read, timed on its own (the clock's own cost included)
     * @param l1ReadsPerSecond       L1 reads in a row, untimed one by one
     * @param l1Hits                 of the timed and untimed L1 reads, how many the L1 served (all, unless its
     *                               invalidation link went unconfirmed for the tracking timeout)
     * @param l1Reads                the timed and untimed L1 reads
     * @param clientRedis            reads through a client without an L1: its read script
     * @param rawHgetall             plain HGETALL of the same keys on a Lettuce connection of its own
     * @param invalidation           write sent to the invalidation listener hearing of it, per write seen
     * @param visible                write sent to a read through the L1 client returning the new version
     * @param invalidationsSeen      writes whose invalidation arrived within a second (should be all)
     * @param writesPerSecond        the writes' rate as sent (below the asked one when a write took longer than its turn)
     * @param olderAfterInvalidation reads right after an invalidation that returned an older version (should be none)
     * @param clockNanos             the median of two back-to-back {@code System.nanoTime()} calls: part of each L1 timing
     */
    record Result(Options options, Timings l1Hit, double l1ReadsPerSecond, long l1Hits, long l1Reads, Timings clientRedis,
                  Timings rawHgetall, Timings invalidation, Timings visible, long writes, double writesPerSecond,
                  long invalidationsSeen, long olderAfterInvalidation, double clockNanos) {
        /** Every write's invalidation arrived, and no read after one went back to an older version. */
        boolean held() {
            return invalidationsSeen == writes && olderAfterInvalidation == 0;
        }

        /** The median Redis read through the client over the median L1 hit. */
        double l1VersusRedis() {
            return clientRedis.percentileNanos(50) / l1Hit.percentileNanos(50);
        }

        /** The median read script over the median plain HGETALL. */
        double scriptVersusHgetall() {
            return clientRedis.percentileNanos(50) / rawHgetall.percentileNanos(50);
        }
    }

    /** Who is waiting for the invalidation of which key. */
    private record Awaited(String key, CompletableFuture<Long> seenAtNanos) {}

    private ClientRun() {}

    /**
     * @param redisUri the server's URI, for the clients
     * @param redis    a connection for the writes
     * @param progress one line per part, for the bench's progress on stderr
     */
    static Result run(String redisUri, StatefulRedisConnection<String, String> redis, Options options,
                      Consumer<String> progress) throws Exception {
        RuleEngine engine = new RuleEngine(RulesFileLoader.parse("client-bench.yaml", RULES));
        RedisApplier applier = new RedisApplier(redis.async(), engine.rules().tombstoneRetention(), engine.layout());
        String[] keys = new String[options.entries()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "item:{" + subject(i) + "}";
        }
        progress.accept("pre-loading " + keys.length + " hash entries through the fenced apply");
        preload(engine, applier, keys.length);

        AtomicReference<Awaited> awaited = new AtomicReference<>();
        RedisClient plainClient = RedisConnector.client(RedisURI.create(redisUri), Duration.ofSeconds(5));
        try (CachepClient cached = CachepClient.builder().redisUri(redisUri).namespace(NAMESPACE)
                .l1MaxEntries(keys.length * 2L).divergenceInterval(Duration.ZERO)
                .invalidationListener(key -> heard(awaited, key)).build();
             CachepClient uncached = CachepClient.builder().redisUri(redisUri).namespace(NAMESPACE)
                     .l1MaxEntries(0).divergenceInterval(Duration.ZERO).build();
             StatefulRedisConnection<String, String> plain = plainClient.connect()) {
            Random random = new Random(42);
            int[] order = new int[Math.max(options.l1Reads(), 2 * options.redisReads())];
            Arrays.setAll(order, i -> random.nextInt(keys.length));

            progress.accept("L1 hits: " + options.l1Reads() + " reads, then as many timed one by one");
            for (String key : keys) {
                requireVersion(cached.hash(key), key, 1);
            }
            long hitsBefore = cached.stats().l1Hits();
            readAll(cached, keys, order, options.l1Reads()); // warm-up for the JIT
            long started = System.nanoTime();
            readAll(cached, keys, order, options.l1Reads());
            double l1ReadsPerSecond = options.l1Reads() * 1e9 / (System.nanoTime() - started);
            Timings l1Hit = timeReads(cached, keys, order, options.l1Reads());
            long l1Reads = 3L * options.l1Reads();
            long l1Hits = cached.stats().l1Hits() - hitsBefore;

            progress.accept("Redis reads: " + options.redisReads() + " through a client without an L1 and as many"
                    + " plain HGETALLs, interleaved");
            Timings[] redisReads = timeRedisReads(uncached, plain.sync(), keys, order, options.redisReads());

            progress.accept(String.format(Locale.ROOT, "write to invalidation: %d fenced writes to %d hot keys, at most %.0f/s",
                    options.writes(), options.hotKeys(), options.writeRate()));
            Writes writes = timeWrites(engine, applier, cached, keys, options, awaited);
            return new Result(options, l1Hit, l1ReadsPerSecond, l1Hits, l1Reads, redisReads[0], redisReads[1],
                    Timings.of(Arrays.copyOf(writes.invalidation, writes.seen)),
                    Timings.of(Arrays.copyOf(writes.visible, writes.visibleCount)), options.writes(),
                    writes.perSecond, writes.seen, writes.older, clockNanos());
        } finally {
            plainClient.shutdown();
        }
    }

    private static void heard(AtomicReference<Awaited> awaited, String key) {
        long now = System.nanoTime();
        Awaited waiting = awaited.get();
        if (waiting != null && waiting.key().equals(key)) {
            waiting.seenAtNanos().complete(now);
        }
    }

    /** Version 1 of every item, batched and pipelined as the projector writes. */
    private static void preload(RuleEngine engine, RedisApplier applier, int entries) throws InterruptedException {
        Semaphore window = new Semaphore(WINDOW);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long now = System.currentTimeMillis();
        try (ApplyBatcher batcher = new ApplyBatcher(applier, RedisLimitRun.BATCH_EVENTS, RedisLimitRun.BATCH_LINGER)) {
            for (int i = 0; i < entries; i++) {
                EventEnvelope event = event(i, 1, now);
                window.acquire();
                batcher.apply(EventStamp.of(event), engine.project(TOPIC, event)).whenComplete((outcomes, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else if (ApplyOutcome.ofEvent(outcomes) != ApplyOutcome.APPLIED) {
                        failure.compareAndSet(null, new IllegalStateException("a pre-load write was " + outcomes
                                + ", not applied: is the namespace " + NAMESPACE + " already in this Redis?"));
                    }
                    window.release();
                });
            }
        }
        if (!window.tryAcquire(WINDOW, 1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Redis did not acknowledge the pre-load within a minute");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the pre-load failed: " + failure.get(), failure.get());
        }
    }

    private static void readAll(CachepClient client, String[] keys, int[] order, int reads) {
        long present = 0;
        for (int i = 0; i < reads; i++) {
            if (client.hash(keys[order[i]]).present()) {
                present++;
            }
        }
        if (present != reads) {
            throw new IllegalStateException((reads - present) + " of " + reads + " pre-loaded entries were absent");
        }
    }

    private static Timings timeReads(CachepClient client, String[] keys, int[] order, int reads) {
        long[] nanos = new long[reads];
        long present = 0;
        for (int i = 0; i < reads; i++) {
            String key = keys[order[i]];
            long start = System.nanoTime();
            Read<Map<String, String>> read = client.hash(key);
            nanos[i] = System.nanoTime() - start;
            if (read.present()) {
                present++;
            }
        }
        if (present != reads) {
            throw new IllegalStateException((reads - present) + " of " + reads + " pre-loaded entries were absent");
        }
        return Timings.of(nanos);
    }

    /**
     * Reads through {@code client} and plain HGETALLs of the same keys, taking turns in blocks, after a warm-up of a
     * tenth as many: {client, hgetall}.
     */
    private static Timings[] timeRedisReads(CachepClient client, RedisCommands<String, String> plain, String[] keys,
                                            int[] order, int reads) {
        int warmUp = Math.max(1, reads / 10);
        for (int i = 0; i < warmUp; i++) {
            client.hash(keys[order[i]]);
            plain.hgetall(NAMESPACE + ":" + keys[order[i]]);
        }
        long[] script = new long[reads];
        long[] hgetall = new long[reads];
        for (int from = 0; from < reads; from += BLOCK) {
            int to = Math.min(reads, from + BLOCK);
            for (int i = from; i < to; i++) {
                String key = keys[order[i]];
                long start = System.nanoTime();
                Read<Map<String, String>> read = client.hash(key);
                script[i] = System.nanoTime() - start;
                if (!read.present()) {
                    throw new IllegalStateException("the pre-loaded entry " + key + " was absent");
                }
            }
            for (int i = from; i < to; i++) {
                String key = NAMESPACE + ":" + keys[order[reads + i]];
                long start = System.nanoTime();
                Map<String, String> hash = plain.hgetall(key);
                hgetall[i] = System.nanoTime() - start;
                if (hash.isEmpty()) {
                    throw new IllegalStateException("the pre-loaded entry " + key + " was absent");
                }
            }
        }
        return new Timings[] {Timings.of(script), Timings.of(hgetall)};
    }

    /** The write-to-invalidation part's raw figures. */
    private static final class Writes {
        long[] invalidation;
        long[] visible;
        int seen;
        int visibleCount;
        int older;
        double perSecond;
    }

    /**
     * Writes the hot keys round robin, one write at a time and no faster than the rate: the next is sent once the
     * last one's invalidation arrived (or a second passed) and the key was read back through the L1 client, which
     * fills its L1 again for the key's next write.
     */
    private static Writes timeWrites(RuleEngine engine, RedisApplier applier, CachepClient cached, String[] keys,
                                     Options options, AtomicReference<Awaited> awaited) throws Exception {
        Writes writes = new Writes();
        writes.invalidation = new long[options.writes()];
        writes.visible = new long[options.writes()];
        long[] versions = new long[options.hotKeys()];
        Arrays.fill(versions, 1);
        for (int k = 0; k < versions.length; k++) {
            requireVersion(cached.hash(keys[k]), keys[k], 1); // in the L1 before its first write
        }
        long interval = (long) (1e9 / options.writeRate());
        long started = System.nanoTime();
        long firstSent = 0;
        long lastSent = 0;
        for (int w = 0; w < options.writes(); w++) {
            int item = w % versions.length;
            long version = ++versions[item];
            EventEnvelope event = event(item, version, System.currentTimeMillis());
            List<Mutation> mutations = engine.project(TOPIC, event);
            long due = started + w * interval;
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
            }
            Awaited waiting = new Awaited(keys[item], new CompletableFuture<>());
            awaited.set(waiting);
            long sent = System.nanoTime();
            firstSent = w == 0 ? sent : firstSent;
            lastSent = sent;
            CompletableFuture<List<ApplyOutcome>> applied = applier.apply(EventStamp.of(event), mutations);
            try {
                long seenAt = waiting.seenAtNanos().get(INVALIDATION_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
                writes.invalidation[writes.seen++] = seenAt - sent;
                Read<Map<String, String>> read = cached.hash(keys[item]);
                long readAt = System.nanoTime();
                if (read.version().orElse(0) >= version) {
                    writes.visible[writes.visibleCount++] = readAt - sent;
                } else {
                    writes.older++;
                }
            } catch (TimeoutException notSeen) {
                // counted: seen stays behind writes
            } finally {
                awaited.set(null);
            }
            List<ApplyOutcome> outcomes;
            try {
                outcomes = applied.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a fenced write of " + keys[item] + " failed: " + e.getCause(), e.getCause());
            }
            if (ApplyOutcome.ofEvent(outcomes) != ApplyOutcome.APPLIED) {
                throw new IllegalStateException("the write of version " + version + " of " + keys[item] + " was "
                        + outcomes + ", not applied");
            }
        }
        // n writes sent over the n - 1 turns from the first send to the last
        writes.perSecond = options.writes() < 2 ? Double.NaN : (options.writes() - 1) * 1e9 / (lastSent - firstSent);
        return writes;
    }

    private static void requireVersion(Read<?> read, String key, long version) {
        if (!read.present() || read.version().orElse(-1) != version) {
            throw new IllegalStateException("expected version " + version + " of " + key + ", read " + read);
        }
    }

    /** The median of two back-to-back clock reads: what timing one read adds to it. */
    private static double clockNanos() {
        long[] nanos = new long[100_000];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            nanos[i] = System.nanoTime() - start;
        }
        return Timings.of(nanos).percentileNanos(50);
    }

    private static String subject(int item) {
        return String.format(Locale.ROOT, "i-%05d", item);
    }

    /** Item {@code item} at {@code version}: its stock is the version, so every write changes the entry. */
    static EventEnvelope event(int item, long version, long timeMillis) {
        String subject = subject(item);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "item " + item);
        data.put("price", String.format(Locale.ROOT, "%d.%02d", 1 + item % 500, item % 100));
        data.put("stock", String.valueOf(version));
        String dataJson;
        try {
            dataJson = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("three strings did not make JSON", e);
        }
        return new EventEnvelope(subject + "@" + version, TYPE, "/cachep-bench", subject,
                Instant.ofEpochMilli(timeMillis), version, data, dataJson);
    }
}
