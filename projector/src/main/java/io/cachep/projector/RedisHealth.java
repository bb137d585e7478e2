package io.cachep.projector;

import io.cachep.apply.VerificationRecord;
import io.cachep.projector.topology.RedisMemoryStall;
import io.cachep.projector.topology.ReplicaShortfall;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.reference.Divergence;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.ServerHello;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the projector knows about its Redis: checked once at start (version, eviction policy) and probed every
 * second after (a PING), so {@code /ready} and the {@code cachep.redis.up} gauge answer at once, and the log says
 * each change of state once, never per record or per probe. A Redis that answers but refuses writes for want of
 * memory is reported from the {@link RedisMemoryStall} the writes feed.
 */
final class RedisHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisHealth.class);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Redis 7.0 brought Functions and PEXPIRETIME, which cachep's Redis library needs. */
    static final int MINIMUM_MAJOR_VERSION = 7;

    private final RedisTarget redis;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cachep-redis-health");
        t.setDaemon(true);
        return t;
    });

    private final KeyLayout layout;
    private final RedisMemoryStall memoryStall;
    private final ReplicaShortfall replicaShortfall;
    private volatile String memoryUse = "used/max not read yet";
    /** The verify record's counts by kind ("all": the sum); empty before the first verify. */
    private volatile Map<String, String> divergence = Map.of();
    private volatile Instant unreachableSince;
    /** On a cluster: primaries that did not answer the last probe while others did, and since when. */
    private final Map<String, Instant> primariesDown = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String lastError = "";
    private volatile String evictionWarning;

    RedisHealth(RedisTarget redis, MeterRegistry registry, KeyLayout layout,
                RedisMemoryStall memoryStall, ReplicaShortfall replicaShortfall) {
        this.redis = redis;
        this.layout = layout;
        this.memoryStall = memoryStall;
        this.replicaShortfall = replicaShortfall;
        // Read from the verify record each second, so a following verify's findings show at once.
        divergenceGauge(registry, "all", VerificationRecord.DIVERGENT);
        for (Divergence.Kind kind : Divergence.Kind.values()) {
            divergenceGauge(registry, VerificationRecord.field(kind), VerificationRecord.field(kind));
        }
        Gauge.builder("cachep.redis.up", this, h -> h.unreachableSince == null ? 1 : 0)
                .description("1 while Redis answers, 0 while it does not").register(registry);
    }

    /** {@code cachep_cache_divergence{kind}}: the verify record's {@code field}, -1 before the first verify. */
    private void divergenceGauge(MeterRegistry registry, String kind, String field) {
        Gauge.builder("cachep.cache.divergence", this, h -> Double.parseDouble(h.divergence.getOrDefault(field, "-1")))
                .tag("kind", kind)
                .description("Entries dlq-tool verify found divergent from the log, by kind (all: every kind);"
                        + " -1 before the first verify")
                .register(registry);
    }

    /**
     * Refuses a Redis older than 7.0 (fencing could not work there), and warns about, or with
     * {@code refuseUnsafeEviction} refuses, an eviction policy that can evict fencing metadata.
     *
     * <p>The version comes from {@code HELLO} ({@link ServerHello}), which every user may send.
     */
    void checkServer(boolean refuseUnsafeEviction) {
        String version = serverVersion();
        int major = Integer.parseInt(version.split("\\.")[0]);
        if (major < MINIMUM_MAJOR_VERSION) {
            throw new IllegalStateException("Redis " + version + " is too old: cachep needs Redis "
                    + MINIMUM_MAJOR_VERSION + ".0 or newer (Functions, PEXPIRETIME)");
        }
        String policy = evictionPolicy();
        if (policy != null && !policy.equals("noeviction")) {
            evictionWarning = "maxmemory-policy is " + policy + ": Redis may evict fences and tombstones under memory"
                    + " pressure, and then a stale event can regress or resurrect an entry; use noeviction and alert on memory";
            if (refuseUnsafeEviction) {
                throw new IllegalStateException(evictionWarning + " (refusing to start: projector.redis.refuse.unsafe.eviction=true)");
            }
            log.warn("UNSAFE REDIS SETTING: {}", evictionWarning);
        }
        log.info("Redis {} reachable, maxmemory-policy {}", version, policy == null ? "unknown" : policy);
    }

    private String serverVersion() {
        return ServerHello.of(redis.sync()).getOrDefault("version", "0");
    }

    /** The policy, or null when CONFIG GET is not allowed (managed Redis, ACLs). */
    private String evictionPolicy() {
        try {
            Map<String, String> config = redis.sync().configGet("maxmemory-policy");
            return config.get("maxmemory-policy");
        } catch (RuntimeException e) {
            log.warn("cannot read Redis's maxmemory-policy ({}); make sure it is noeviction", e.getMessage().strip());
            return null;
        }
    }

    void start() {
        prober.scheduleWithFixedDelay(this::probe, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Empty when Redis answered the last probe and takes writes; otherwise why not and since when. */
    Optional<String> problem() {
        Instant since = unreachableSince;
        if (since != null) {
            return Optional.of("redis unreachable since " + since + " (" + lastError + ")");
        }
        if (!primariesDown.isEmpty()) {
            return Optional.of("redis cluster primary " + eachSince(primariesDown) + " unreachable: writes to its"
                    + " slots wait until it returns or a replica takes over");
        }
        Optional<String> full = memoryStall.since().map(at -> "redis out of memory (" + memoryUse + ") since " + at
                + "; writes wait until maxmemory is raised or memory freed");
        if (full.isPresent()) {
            return full;
        }
        Map<String, Instant> shortShards = replicaShortfall.shortShards();
        if (!shortShards.isEmpty()) {
            return Optional.of("redis shard " + eachSince(shortShards) + ": fewer replicas acknowledge writes than"
                    + " projector.redis.wait.replicas asks; its writes wait until they are back");
        }
        return Optional.empty();
    }

    /** "host:port (since T), host:port (since T)": the shards a problem has, each with since when. */
    private static String eachSince(Map<String, Instant> shards) {
        return shards.entrySet().stream().map(shard -> shard.getKey() + " (since " + shard.getValue() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Warnings to show on /ready even while ready. */
    List<String> warnings() {
        return evictionWarning == null ? List.of() : List.of(evictionWarning);
    }

    private void probe() {
        try {
            pingPrimaries();
            memoryStall.settle();
            if (memoryStall.since().isPresent()) {
                memoryUse = memoryUse();
            }
            divergence = redis.async().hgetall(VerificationRecord.key(layout))
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (unreachableSince != null) {
                log.info("Redis reachable again after {}", Duration.between(unreachableSince, Instant.now()));
                unreachableSince = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            lastError = cause.getClass().getSimpleName();
            if (unreachableSince == null) {
                unreachableSince = Instant.now();
                log.warn("Redis unreachable ({}); writes wait and retry, nothing is skipped", lastError);
            }
        }
    }

    /**
     * PINGs each shard's primary. On a cluster a primary that does not answer leaves the others working: its slots
     * wait (DEGRADED), and the topology is asked for again so a promoted replica is found; only when none answers
     * is Redis unreachable (the exception of the first).
     */
    private void pingPrimaries() throws Exception {
        List<RedisTarget.Shard> shards = redis.shards();
        Map<RedisTarget.Shard, java.util.concurrent.CompletableFuture<String>> pings = new java.util.LinkedHashMap<>();
        shards.forEach(shard -> pings.put(shard, shard.commands().ping().toCompletableFuture()));
        Exception first = null;
        java.util.Set<String> down = new java.util.TreeSet<>();
        for (var ping : pings.entrySet()) {
            try {
                ping.getValue().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                first = first == null ? e : first;
                down.add(ping.getKey().name());
            }
        }
        if (first != null && down.size() == shards.size()) {
            throw first;
        }
        replicaShortfall.retainOnly(shards.stream().map(RedisTarget.Shard::name)
                .collect(java.util.stream.Collectors.toSet()));
        if (!down.isEmpty()) {
            redis.topologyChanged();
        }
        down.forEach(shard -> {
            if (primariesDown.putIfAbsent(shard, Instant.now()) == null) {
                log.warn("Redis primary {} does not answer; writes to its slots wait and retry until it returns or a"
                        + " replica takes over", shard);
            }
        });
        primariesDown.keySet().removeIf(shard -> {
            boolean back = !down.contains(shard);
            if (back) {
                log.info("Redis primary {} answers again, or its slots have a new primary", shard);
            }
            return back;
        });
    }

    /**
     * "used 10.2 MB of maxmemory 10.0 MB" from {@code INFO memory}, or why that is unknown: under a least-privilege
     * ACL INFO is denied ({@code @dangerous}), and the stall is still reported, only without the figures.
     */
    private String memoryUse() {
        try {
            String info = redis.async().info("memory").get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return "used " + megabytes(infoField(info, "used_memory")) + " of maxmemory "
                    + megabytes(infoField(info, "maxmemory"));
        } catch (Exception e) {
            return "used/max unknown: INFO not permitted or not answered";
        }
    }

    private static long infoField(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).findFirst()
                .map(l -> Long.parseLong(l.substring(name.length() + 1).trim())).orElse(-1L);
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
