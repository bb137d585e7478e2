package io.cachep.projector;

import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers, and since when it has not. Logs once per change of state, never per probe.
 */
final class RedisReadiness {
    private static final Logger log = LoggerFactory.getLogger(RedisReadiness.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Redis 7.0 brought PEXPIRETIME, which the fenced-apply script needs. */
    static final int MINIMUM_MAJOR_VERSION = 7;

    private final StatefulRedisConnection<String, String> redis;
    private Instant unreachableSince;

    RedisReadiness(StatefulRedisConnection<String, String> redis) {
        this.redis = redis;
    }

    /** Refuses to start on a Redis older than 7.0: fencing could not work there. */
    void requireSupportedServer() {
        String info = redis.sync().info("server");
        String version = info.lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                .map(l -> l.substring("redis_version:".length()).trim()).orElse("0");
        int major = Integer.parseInt(version.split("\\.")[0]);
        if (major < MINIMUM_MAJOR_VERSION) {
            throw new IllegalStateException("Redis " + version + " is too old: cachep needs Redis "
                    + MINIMUM_MAJOR_VERSION + ".0 or newer (PEXPIRETIME)");
        }
    }

    /** Empty when Redis answers a PING now; otherwise why not and since when. */
    synchronized Optional<String> problem() {
        String error;
        try {
            redis.async().ping().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (unreachableSince != null) {
                log.info("Redis reachable again after {}", Duration.between(unreachableSince, Instant.now()));
                unreachableSince = null;
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName();
        }
        if (unreachableSince == null) {
            unreachableSince = Instant.now();
            log.warn("Redis unreachable ({})", error);
        }
        return Optional.of("redis unreachable since " + unreachableSince + " (" + error + ")");
    }
}
