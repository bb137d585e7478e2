package io.cachep.projector;

import io.cachep.apply.VerificationRecord;
import io.cachep.projector.topology.RedisMemoryStall;
import io.cachep.rules.KeyLayout;
import io.cachep.apply.RedisTarget;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
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
    /** Probes between reads of the last verify's result (it changes only when someone runs verify). */
    private static final int VERIFY_READ_EVERY = 10;

    private final KeyLayout layout;
    private final RedisMemoryStall memoryStall;
    private volatile String memoryUse = "used/max not read yet";
    private volatile long divergent = -1;
    private int probes;
    private volatile Instant unreachableSince;
    private volatile String lastError = "";
    private volatile String evictionWarning;

    RedisHealth(RedisTarget redis, MeterRegistry registry, KeyLayout layout,
                RedisMemoryStall memoryStall) {
        this.redis = redis;
        this.layout = layout;
        this.memoryStall = memoryStall;
        Gauge.builder("cachep.cache.divergence", this, h -> h.divergent)
                .description("Entries the last dlq-tool verify found divergent from the log (-1 before the first)")
                .register(registry);
        Gauge.builder("cachep.redis.up", this, h -> h.unreachableSince == null ? 1 : 0)
                .description("1 while Redis answers, 0 while it does not").register(registry);
    }

    /**
     * Refuses a Redis older than 7.0 (fencing could not work there), and warns about, or with
     * {@code refuseUnsafeEviction} refuses, an eviction policy that can evict fencing metadata.
     *
     * <p>The version comes from {@code HELLO}, which every user may send (it is how a connection starts), rather than
     * {@code INFO}, which ACLs and managed services deny ({@code @dangerous}).
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

    /** {@code HELLO} without arguments: the server's details in the connection's protocol, which it leaves as is. */
    private String serverVersion() {
        List<Object> hello = redis.sync().dispatch(CommandType.HELLO, new ArrayOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8));
        for (int i = 0; i + 1 < hello.size(); i += 2) {
            if ("version".equals(String.valueOf(hello.get(i)))) {
                return String.valueOf(hello.get(i + 1));
            }
        }
        return "0";
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
        return memoryStall.since().map(full -> "redis out of memory (" + memoryUse + ") since " + full
                + "; writes wait until maxmemory is raised or memory freed");
    }

    /** Warnings to show on /ready even while ready. */
    List<String> warnings() {
        return evictionWarning == null ? List.of() : List.of(evictionWarning);
    }

    private void probe() {
        try {
            redis.async().ping().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            memoryStall.settle();
            if (memoryStall.since().isPresent()) {
                memoryUse = memoryUse();
            }
            if (probes++ % VERIFY_READ_EVERY == 0) {
                String value = redis.async().hget(VerificationRecord.key(layout), "divergent")
                        .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                divergent = value == null ? -1 : Long.parseLong(value);
            }
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
