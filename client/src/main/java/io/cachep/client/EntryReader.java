package io.cachep.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The read path: the L1 when its copy is known true, else Redis (filling the L1), else, when Redis does not answer,
 * the L1's copy flagged stale if it is recent enough, else a {@link CacheUnavailableException}. Every entry returned is
 * at least as new as any this client returned before for the same key.
 */
final class EntryReader {
    /** What the client's Redis user needs (README.md, "Reading: cachep-client"). */
    static final String GRANTS = "+evalsha_ro +eval_ro +ping +client|tracking +type +get +hgetall +smembers +zrange "
            + "+pttl %R~<prefix>*";
    private static final List<String> OUTAGE_REPLIES = List.of("LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN");

    /** One entry as served, with where it came from and, if stale, for how long. */
    record Served(Snapshot snapshot, Layer layer, Duration staleFor) {}

    private final RedisClusterAsyncCommands<String, String> redis;
    private final EntryKeys keys;
    private final L1Cache l1;
    private final InvalidationSource link;
    private final ReadScript script = new ReadScript();
    private final ClientStats stats;
    private final RedisOutage outage;
    private final long readTimeoutNanos;
    private final long trackingTimeoutNanos;
    private final long maxStalenessNanos;
    // Per key, the highest version returned: reads never go back past it. Bounded: a key not read for long enough
    // to be evicted from here can be returned older only if Redis itself lost writes in between.
    private final Cache<String, Long> floors;

    EntryReader(RedisClusterAsyncCommands<String, String> redis, EntryKeys keys, L1Cache l1, InvalidationSource link,
                ClientStats stats, ClientSettings settings) {
        this.redis = redis;
        this.keys = keys;
        this.l1 = l1;
        this.link = link;
        this.stats = stats;
        this.outage = new RedisOutage(settings.redisRetryInterval());
        this.readTimeoutNanos = settings.readTimeout().toNanos();
        this.trackingTimeoutNanos = settings.trackingTimeout().toNanos();
        this.maxStalenessNanos = settings.maxStaleness().toNanos();
        this.floors = Caffeine.newBuilder().maximumSize(Math.max(100_000, settings.l1MaxEntries() * 4)).build();
    }

    Served read(String entryKey) {
        return readAll(List.of(entryKey)).get(0);
    }

    /** Reads several entries; those the L1 cannot serve go to Redis together (pipelined). */
    List<Served> readAll(List<String> entryKeys) {
        long now = System.nanoTime();
        List<Served> served = new ArrayList<>(entryKeys.size());
        List<Integer> misses = new ArrayList<>();
        for (String entryKey : entryKeys) {
            Snapshot copy = l1 == null ? null : l1.get(entryKey);
            if (copy != null && copy.epoch().confirmedWithin(now, trackingTimeoutNanos) && atFloor(entryKey, copy)) {
                stats.l1Hits.increment();
                served.add(new Served(copy, Layer.L1, Duration.ZERO));
            } else {
                if (l1 != null) {
                    stats.l1Misses.increment();
                }
                misses.add(served.size());
                served.add(null);
            }
        }
        if (!misses.isEmpty()) {
            fromRedis(entryKeys, misses, served);
        }
        return served;
    }

    /** Reads from Redis, bypassing the L1 (and not filling it); for the divergence sample. */
    CompletableFuture<Snapshot> redisOnly(String entryKey) {
        return script.read(redis, keys, entryKey, link == null ? TrackingEpoch.NONE : link.epoch());
    }

    private void fromRedis(List<String> entryKeys, List<Integer> misses, List<Served> served) {
        Throwable down = outage.skipRedis(System.nanoTime());
        if (down != null) {
            misses.forEach(i -> served.set(i, degraded(entryKeys.get(i), down)));
            return;
        }
        TrackingEpoch epoch = link == null ? TrackingEpoch.NONE : link.epoch();
        List<L1Cache.Ticket> tickets = new ArrayList<>(misses.size());
        List<Long> floorsAtSend = new ArrayList<>(misses.size());
        List<CompletableFuture<Snapshot>> replies = new ArrayList<>(misses.size());
        for (int i : misses) {
            String entryKey = entryKeys.get(i);
            tickets.add(l1 == null ? null : l1.begin(entryKey));
            // What was returned before this read was sent: a read sent concurrently may return older, legitimately.
            floorsAtSend.add(floors.getIfPresent(entryKey));
            replies.add(script.read(redis, keys, entryKey, epoch));
        }
        long deadline = System.nanoTime() + readTimeoutNanos;
        try {
            collect(entryKeys, misses, served, tickets, floorsAtSend, replies, deadline);
        } finally {
            if (l1 != null) {
                tickets.forEach(l1::end);
            }
        }
    }

    private void collect(List<String> entryKeys, List<Integer> misses, List<Served> served,
                         List<L1Cache.Ticket> tickets, List<Long> floorsAtSend,
                         List<CompletableFuture<Snapshot>> replies, long deadline) {
        for (int m = 0; m < misses.size(); m++) {
            String entryKey = entryKeys.get(misses.get(m));
            L1Cache.Ticket ticket = tickets.get(m);
            try {
                Snapshot read = await(replies.get(m), deadline);
                outage.answered();
                (read.type() == EntryType.NONE ? stats.redisMisses : stats.redisHits).increment();
                requireAtFloor(entryKey, read, floorsAtSend.get(m));
                if (ticket != null) {
                    l1.fill(ticket, read);
                }
                served.set(misses.get(m), new Served(read, Layer.REDIS, Duration.ZERO));
            } catch (RedisUnanswered e) {
                stats.redisErrors.increment();
                outage.failed(e.getCause(), System.nanoTime());
                served.set(misses.get(m), degraded(entryKey, e.getCause()));
            }
        }
    }

    /** Redis did not answer: the L1's copy flagged stale, if recent enough and allowed, else fail now. */
    private Served degraded(String entryKey, Throwable cause) {
        Snapshot copy = l1 == null ? null : l1.get(entryKey);
        long now = System.nanoTime();
        if (copy != null && maxStalenessNanos > 0 && now - copy.verifiedAtNanos() <= maxStalenessNanos
                && atFloor(entryKey, copy)) {
            stats.l1Stale.increment();
            return new Served(copy, Layer.L1, Duration.ofNanos(Math.max(1, now - copy.verifiedAtNanos())));
        }
        String why = copy == null ? "the L1 has no copy"
                : maxStalenessNanos == 0 ? "degraded reads are off (maxStaleness)"
                : "the L1's copy was last known true " + Duration.ofNanos(now - copy.verifiedAtNanos()).toMillis()
                        + " ms ago, past maxStaleness";
        throw new CacheUnavailableException("Redis did not answer a read of " + entryKey + " (" + describe(cause)
                + ") and " + why, cause);
    }

    private Snapshot await(CompletableFuture<Snapshot> reply, long deadline) {
        try {
            return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reply.cancel(false);
            throw new RedisUnanswered(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException("interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            Throwable failure = ReadScript.unwrap(e.getCause());
            if (failure instanceof CachepClientException clientError) {
                throw clientError;
            }
            if (failure instanceof RedisCommandExecutionException refused && !outageReply(refused)) {
                throw refusal(refused);
            }
            if (failure instanceof RedisException) {
                throw new RedisUnanswered(failure);
            }
            throw new CachepClientException("reading from Redis failed: " + failure, failure);
        }
    }

    private static boolean outageReply(RedisCommandExecutionException refused) {
        String message = String.valueOf(refused.getMessage());
        return OUTAGE_REPLIES.stream().anyMatch(message::startsWith);
    }

    private CachepClientException refusal(RedisCommandExecutionException refused) {
        String message = String.valueOf(refused.getMessage());
        if (message.startsWith("NOPERM") || message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")
                || message.contains("can't run this command")) {
            return new CachepClientException("Redis refused the client's read (" + message + "): its user needs "
                    + "ACL SETUSER <user> " + GRANTS.replace("<prefix>", keys.prefix()), refused);
        }
        return new CachepClientException("Redis refused the client's read: " + message, refused);
    }

    private boolean atFloor(String entryKey, Snapshot copy) {
        Long floor = floors.getIfPresent(entryKey);
        return floor == null || copy.version() == null || copy.version() >= floor;
    }

    /**
     * A version older than one returned before the read was sent means Redis lost writes: refuse rather than go back.
     * Raises the floor to what this read returns.
     */
    private void requireAtFloor(String entryKey, Snapshot read, Long floor) {
        if (read.version() == null) {
            return;  // no fence: a tombstone aged out, nothing to compare
        }
        floors.asMap().merge(entryKey, read.version(), Math::max);
        if (floor != null && read.version() < floor) {
            throw new CacheRegressionException("Redis holds version " + read.version() + " of " + entryKey
                    + ", older than version " + floor + " this client already returned: Redis lost writes "
                    + "(a failover, a restart without AOF, a FLUSHALL). Run dlq-tool verify --repair to restore it");
        }
    }

    private static String describe(Throwable cause) {
        return cause == null ? "no answer" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Redis did not answer in time or is not connected (as opposed to answering with an error). */
    private static final class RedisUnanswered extends RuntimeException {
        RedisUnanswered(Throwable cause) {
            super(cause);
        }
    }
}
