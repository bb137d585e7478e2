package io.cachep.projector;

import io.cachep.apply.VerificationRecord;
import io.cachep.rules.KeyLayout;
import io.lettuce.core.api.StatefulRedisConnection;
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
 * each change of state once, never per record or per probe.
 */
final class RedisHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisHealth.class);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Redis 7.0 brought Functions and PEXPIRETIME, which cachep's Redis library needs. */
    static final int MINIMUM_MAJOR_VERSION = 7;

    private final StatefulRedisConnection<String, String> redis;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cachep-redis-health");
        t.setDaemon(true);
        return t;
    });
    /** Probes between reads of the last verify's result (it changes only when someone runs verify). */
    private static final int VERIFY_READ_EVERY = 10;

    private final KeyLayout layout;
    private volatile long divergent = -1;
    private int probes;
    private volatile Instant unreachableSince;
    private volatile String lastError = "";
    private volatile String evictionWarning;

    RedisHealth(StatefulRedisConnection<String, String> redis, MeterRegistry registry, KeyLayout layout) {
        this.redis = redis;
        this.layout = layout;
        Gauge.builder("cachep.cache.divergence", this, h -> h.divergent)
                .description("Entries the last dlq-tool verify found divergent from the log (-1 before the first)")
                .register(registry);
        Gauge.builder("cachep.redis.up", this, h -> h.unreachableSince == null ? 1 : 0)
                .description("1 while Redis answers, 0 while it does not").register(registry);
    }

    /**
     * Refuses a Redis older than 7.0 (fencing could not work there), and warns about, or with
     * {@code refuseUnsafeEviction} refuses, an eviction policy that can evict fencing metadata.
     */
    void checkServer(boolean refuseUnsafeEviction) {
        String info = redis.sync().info("server");
        String version = info.lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                .map(l -> l.substring("redis_version:".length()).trim()).orElse("0");
        int major = Integer.parseInt(version.split("\\.")[0]);
        if (major < MINIMUM_MAJOR_VERSION) {
            throw new IllegalStateException("Redis " + version + " is too old: cachep needs Redis "
                    + MINIMUM_MAJOR_VERSION + ".0 or newer (PEXPIRETIME)");
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

    /** The policy, or null when CONFIG GET is not allowed (managed Redis, ACLs). */
    private String evictionPolicy() {
        try {
            Map<String, String> config = redis.sync().configGet("maxmemory-policy");
            return config.get("maxmemory-policy");
        } catch (RuntimeException e) {
            log.warn("cannot read Redis's maxmemory-policy ({}); make sure it is noeviction", e.getMessage());
            return null;
        }
    }

    void start() {
        prober.scheduleWithFixedDelay(this::probe, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Empty when Redis answered the last probe; otherwise why not and since when. */
    Optional<String> problem() {
        Instant since = unreachableSince;
        return since == null ? Optional.empty()
                : Optional.of("redis unreachable since " + since + " (" + lastError + ")");
    }

    /** Warnings to show on /ready even while ready. */
    List<String> warnings() {
        return evictionWarning == null ? List.of() : List.of(evictionWarning);
    }

    private void probe() {
        try {
            redis.async().ping().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
