package io.cachep.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Reads the entries cachep's projector keeps in Redis, through an in-process L1 that Redis's invalidations keep true.
 *
 * <pre>{@code
 * try (CachepClient cache = CachepClient.builder()
 *         .redisUri("redis://localhost:6379")
 *         .namespace("demo")                        // the rules file's namespace
 *         .maxStaleness(Duration.ofSeconds(30))     // serve flagged-stale copies while Redis is down
 *         .build()) {
 *     Read<Map<String, String>> session = cache.hash("session:{s-17}");
 *     session.value().ifPresent(fields -> ...);
 * }
 * }</pre>
 *
 * <p>Keys are the rules file's rendered keys within the namespace ({@code session:{s-17}}); cachep's metadata (keys
 * starting with {@code ~}) is never shown. Every read returns the entry's version (from the projector's fence), where
 * it came from, and whether it is stale. Reads are monotonic per key: once version V was returned, no older version is.
 * Thread-safe; one client per namespace and process is enough. See README.md, "Reading: cachep-client".
 */
public final class CachepClient implements AutoCloseable {
    private static final long AWAIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

    private final EntryKeys keys;
    private final ClientResources resources;
    private final AbstractRedisClient redisClient;
    private final StatefulConnection<String, String> connection;
    private final ScheduledExecutorService scheduler;
    private final L1Cache l1;
    private final InvalidationSource link;
    private final EntryReader reader;
    private final DivergenceSampler sampler;
    private final VersionWaiters waiters = new VersionWaiters();
    private final ClientStats stats;

    private CachepClient(ClientSettings settings) {
        this.keys = new EntryKeys(settings.namespace());
        this.resources = DefaultClientResources.create();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cachep-client-" + settings.namespace());
            thread.setDaemon(true);
            return thread;
        });
        this.l1 = settings.l1MaxEntries() == 0 ? null : new L1Cache(settings.l1MaxEntries());
        this.stats = new ClientStats(() -> l1 == null ? 0 : l1.size());
        Invalidations invalidations = new Invalidations(settings.invalidationListener());
        RedisClusterAsyncCommands<String, String> commands;
        InvalidationSource started = null;
        StatefulConnection<String, String> connected = null;
        if (settings.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, settings.seeds());
            cluster.setOptions(ClusterClientOptions.builder()
                    // Not REJECT_COMMANDS as on one server: a cluster connects to a node on its first command, which
                    // that would refuse; a read waits for the connection at most the read timeout.
                    .timeoutOptions(TimeoutOptions.enabled(settings.readTimeout()))
                    // A failover or a slot moving must reach the invalidation links soon (ClusterLinks).
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH).enableAllAdaptiveRefreshTriggers().build())
                    .build());
            this.redisClient = cluster;
        } else {
            RedisClient single = RedisClient.create(resources, settings.seeds().get(0));
            single.setOptions(ClientOptions.builder()
                    .timeoutOptions(TimeoutOptions.enabled(settings.readTimeout()))
                    // fail fast while disconnected, so a read falls back to the L1 (or fails) at once
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            this.redisClient = single;
        }
        try {
            if (redisClient instanceof RedisClusterClient cluster) {
                StatefulRedisClusterConnection<String, String> clusterConnection = cluster.connect(StringCodec.UTF8);
                connected = clusterConnection;
                commands = clusterConnection.async();
                if (l1 != null) {
                    started = new ClusterLinks(resources, cluster, settings.seeds().get(0), keys.prefix(),
                            settings.readTimeout(), settings.trackingHeartbeat(), invalidations, scheduler);
                }
            } else {
                StatefulRedisConnection<String, String> single = ((RedisClient) redisClient).connect(StringCodec.UTF8);
                connected = single;
                commands = single.async();
                if (l1 != null) {
                    started = new InvalidationLink(resources, settings.seeds().get(0), keys.prefix(),
                            settings.readTimeout(), settings.trackingHeartbeat(), invalidations, scheduler);
                }
            }
            if (started != null) {
                started.start();
            }
        } catch (RuntimeException e) {
            if (started != null) {
                started.close();
            }
            if (connected != null) {
                connected.close();
            }
            shutdown();
            RedisURI first = settings.seeds().get(0);
            throw new CacheUnavailableException("cachep-client could not connect to Redis at " + first.getHost() + ":"
                    + first.getPort() + (settings.cluster() ? " (a cluster seed)" : "") + ": " + e.getMessage(), e);
        }
        this.connection = connected;
        this.link = started;
        this.reader = new EntryReader(commands, keys, l1, link, stats, settings);
        this.sampler = l1 == null ? null
                : new DivergenceSampler(l1, reader, link, stats, settings.divergenceSampleSize(), settings.readTimeout());
        if (sampler != null && !settings.divergenceInterval().isZero()) {
            long every = settings.divergenceInterval().toNanos();
            scheduler.scheduleWithFixedDelay(sampler::sample, every, every, TimeUnit.NANOSECONDS);
        }
        if (settings.meterRegistry() != null) {
            MicrometerBinding.bind(settings.meterRegistry(), stats, settings.namespace());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A hash entry ({@code upsert} with {@code hash}, {@code merge}). */
    public Read<Map<String, String>> hash(String key) {
        return read(key, EntryKind.HASH);
    }

    /** A string entry. */
    public Read<String> string(String key) {
        return read(key, EntryKind.STRING);
    }

    /** A JSON string entry ({@code upsert} with {@code json}) as a tree. */
    public Read<JsonNode> json(String key) {
        return read(key, EntryKind.JSON_TREE);
    }

    /** A JSON string entry bound to a class. */
    public <T> Read<T> json(String key, Class<T> type) {
        return read(key, EntryKind.json(type));
    }

    /** A set entry ({@code set-add}, {@code set-remove}). */
    public Read<Set<String>> set(String key) {
        return read(key, EntryKind.SET);
    }

    /** A sorted-set entry ({@code zset-add}, {@code zset-remove}), members in score order. */
    public Read<List<ScoredMember>> sortedSet(String key) {
        return read(key, EntryKind.SORTED_SET);
    }

    /** An entry of any type as its natural Java value ({@link EntryKind#ANY}). */
    public Read<Object> entry(String key) {
        return read(key, EntryKind.ANY);
    }

    /**
     * One entry as {@code kind} says.
     *
     * @throws CacheUnavailableException Redis did not answer and the L1 had no copy it may serve stale
     * @throws CacheRegressionException  Redis holds an older version than this client returned before
     * @throws WrongEntryTypeException   Redis holds the entry as another type
     */
    public <T> Read<T> read(String key, EntryKind<T> kind) {
        return served(key, kind, reader.read(keys.entry(key)));
    }

    /** Several entries of one kind, in the order given; those not in the L1 are read from Redis in one pipeline. */
    public <T> Map<String, Read<T>> readAll(Collection<String> keysInNamespace, EntryKind<T> kind) {
        List<String> asked = new ArrayList<>(new LinkedHashSet<>(keysInNamespace));
        List<String> entryKeys = new ArrayList<>(asked.size());
        asked.forEach(key -> entryKeys.add(keys.entry(key)));
        List<EntryReader.Served> served = reader.readAll(entryKeys);
        Map<String, Read<T>> reads = new LinkedHashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            reads.put(asked.get(i), served(asked.get(i), kind, served.get(i)));
        }
        return reads;
    }

    /**
     * Read-your-projection: waits until the entry reflects at least {@code version} (its fence records that
     * {@code entityversion} or a newer one, as a write, a delete, an expiry or a field or member change), then
     * returns true; reads after that return it or newer. Returns false when {@code timeout} passes first (the event
     * is not projected yet, went to the DLQ, or Redis is down). Woken by the entry's invalidation; re-reads at least
     * every 100 ms.
     */
    public boolean awaitVersion(String key, long version, Duration timeout) {
        String entryKey = keys.entry(key);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CompletableFuture<Void> change = waiters.nextChange(entryKey);
            try {
                Long seen = reachedVersion(entryKey);
                if (seen != null && seen >= version) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                change.get(Math.min(left, AWAIT_POLL_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            } finally {
                waiters.forget(entryKey, change);
            }
        }
    }

    private Long reachedVersion(String entryKey) {
        try {
            EntryReader.Served served = reader.read(entryKey);
            return served.staleFor().isZero() ? served.snapshot().version() : null;
        } catch (CacheUnavailableException e) {
            return null;  // keep waiting until the timeout: Redis may come back
        }
    }

    /** What the client has counted: reads by layer and outcome, invalidations, divergence. */
    public ClientStats stats() {
        return stats;
    }

    /**
     * Compares a sample of the L1 with Redis now (the client also does it every {@code divergenceInterval}) and
     * returns the number of copies that differed; 0 without an L1.
     */
    public int sampleDivergence() {
        return sampler == null ? 0 : sampler.sample();
    }

    private <T> Read<T> served(String key, EntryKind<T> kind, EntryReader.Served served) {
        Snapshot snapshot = served.snapshot();
        kind.requireType(key, snapshot.type());
        T value = snapshot.type() == EntryType.NONE ? null : kind.decode(key, snapshot.value());
        return new Read<>(key, value, snapshot.version(), served.layer(), served.staleFor());
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
        }
        connection.close();
        shutdown();
    }

    private void shutdown() {
        scheduler.shutdownNow();
        redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** What the invalidation link reports, applied to the L1, the version waiters and the service's listener. */
    private final class Invalidations implements InvalidationLink.Listener {
        private final Consumer<String> serviceListener;

        Invalidations(Consumer<String> serviceListener) {
            this.serviceListener = serviceListener;
        }

        @Override
        public void changed(List<String> redisKeys) {
            Set<String> entries = new LinkedHashSet<>();
            for (String redisKey : redisKeys) {
                String entryKey = keys.entryOfChanged(redisKey);
                if (entryKey != null) {
                    entries.add(entryKey);
                }
            }
            for (String entryKey : entries) {
                l1.invalidate(entryKey);
                waiters.changed(entryKey);
            }
            stats.invalidated(entries.size());
            if (serviceListener != null) {
                entries.forEach(entryKey -> serviceListener.accept(keys.local(entryKey)));
            }
        }

        @Override
        public void flushed() {
            l1.flush();
            waiters.changedAll();
            stats.flushes.increment();
            stats.invalidated(0);
        }
    }

    /** Settings; only {@link #redisUri} and {@link #namespace} are required. */
    public static final class Builder {
        private String redisUri;
        private boolean cluster;
        private String namespace;
        private long l1MaxEntries = 10_000;
        private Duration readTimeout = Duration.ofSeconds(1);
        private Duration trackingHeartbeat = Duration.ofMillis(500);
        private Duration trackingTimeout = Duration.ofSeconds(2);
        private Duration maxStaleness = Duration.ZERO;
        private Duration redisRetryInterval = Duration.ofMillis(500);
        private Duration divergenceInterval = Duration.ofSeconds(60);
        private int divergenceSampleSize = 100;
        private Object meterRegistry;
        private Consumer<String> invalidationListener;

        private Builder() {}

        /**
         * Redis, as the projector takes it: {@code redis://[user:password@]host:port} ({@code rediss://} for TLS), or a
         * cluster's seeds, {@code redis://[user:password@]h1:7000,h2:7000} with {@link #cluster(boolean)}.
         */
        public Builder redisUri(String uri) {
            this.redisUri = uri;
            return this;
        }

        /** Whether Redis is a Redis Cluster (default false): reads follow slots, and every primary is tracked. */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
            return this;
        }

        /** The rules file's namespace: keys are read as {@code <namespace>:<key>}. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The most entries the L1 holds (default 10,000); 0 turns the L1 off (every read goes to Redis). */
        public Builder l1MaxEntries(long entries) {
            this.l1MaxEntries = entries;
            return this;
        }

        /** How long a read waits for Redis before it falls back or fails (default 1 s). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /** How often the invalidation link is confirmed with a PING (default 500 ms). */
        public Builder trackingHeartbeat(Duration heartbeat) {
            this.trackingHeartbeat = heartbeat;
            return this;
        }

        /**
         * The L1 serves a copy as fresh only while the invalidation link was confirmed within this time (default 2 s):
         * the bound on how long a silently broken link (a paused Redis, a network partition) can go unnoticed.
         */
        public Builder trackingTimeout(Duration timeout) {
            this.trackingTimeout = timeout;
            return this;
        }

        /**
         * Degraded mode: when Redis does not answer, serve the L1's copy if it was known true within this time, flagged
         * {@link Read#stale()}. Default zero: off, such reads fail with {@link CacheUnavailableException}.
         */
        public Builder maxStaleness(Duration staleness) {
            this.maxStaleness = staleness;
            return this;
        }

        /** After Redis failed to answer, reads skip it (falling back at once) for this long (default 500 ms). */
        public Builder redisRetryInterval(Duration interval) {
            this.redisRetryInterval = interval;
            return this;
        }

        /** How often a sample of the L1 is compared with Redis (default 60 s; zero: only on {@link #sampleDivergence()}). */
        public Builder divergenceInterval(Duration interval) {
            this.divergenceInterval = interval;
            return this;
        }

        /** How many L1 copies a divergence sample compares (default 100). */
        public Builder divergenceSampleSize(int copies) {
            this.divergenceSampleSize = copies;
            return this;
        }

        /** Exports the client's metrics ({@code cachep.client.*}) to a Micrometer {@code MeterRegistry}. */
        public Builder meterRegistry(Object registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Called with the key (within the namespace) of every entry Redis reports changed, on Lettuce's I/O thread:
         * keep it short.
         */
        public Builder invalidationListener(Consumer<String> listener) {
            this.invalidationListener = listener;
            return this;
        }

        /** Checks the settings (every problem at once), connects and starts tracking. */
        public CachepClient build() {
            return new CachepClient(new ClientSettings(redisUri == null ? null : RedisSeeds.parse(redisUri), cluster,
                    namespace, l1MaxEntries, readTimeout,
                    trackingHeartbeat, trackingTimeout, maxStaleness, redisRetryInterval, divergenceInterval,
                    divergenceSampleSize, meterRegistry, invalidationListener));
        }
    }
}
