package io.cachep.projector.topology;

import io.cachep.apply.ReplicaWait;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Redis shards are holding writes back because fewer of their replicas acknowledge them than
 * {@code projector.redis.wait.replicas} asks (a replica died, or was just promoted and the shard has none left). Such
 * writes are retried like any transient failure, so that shard's events wait, as a Kafka producer does under
 * {@code min.insync.replicas}; this says so on {@code /ready}, in the {@code cachep.redis.replicas.short} gauge and in
 * one log line per shard when it starts and one when a write there is acknowledged again.
 */
public final class ReplicaShortfall implements ReplicaWait.Listener {
    private static final Logger log = LoggerFactory.getLogger(ReplicaShortfall.class);

    private final Map<String, Instant> since = new ConcurrentHashMap<>();

    public ReplicaShortfall(MeterRegistry registry) {
        Gauge.builder("cachep.redis.replicas.short", since, Map::size)
                .description("Redis shards whose writes wait because fewer replicas acknowledge them than"
                        + " projector.redis.wait.replicas asks, else 0").register(registry);
    }

    @Override
    public void shortOf(String shard, long acknowledged, int wanted) {
        if (since.putIfAbsent(shard, Instant.now()) == null) {
            log.warn("Redis shard {}: only {} of {} replicas acknowledged a write in time (projector.redis.wait.replicas);"
                    + " its writes wait and retry, nothing is skipped, until its replicas are back", shard, acknowledged, wanted);
        }
    }

    /** Called for every acknowledged batch: it looks at the map only while some shard is short. */
    @Override
    public void acknowledged(String shard) {
        if (!since.isEmpty()) {
            Instant from = since.remove(shard);
            if (from != null) {
                log.info("Redis shard {}: replicas acknowledge writes again after {} s", shard,
                        java.time.Duration.between(from, Instant.now()).toSeconds());
            }
        }
    }

    /**
     * Forgets the shards whose primary is no longer one (it died and its replica took over): no write will go there to
     * say its replicas are back, and the new primary's own shortfall, if any, is reported under its name.
     */
    public void retainOnly(java.util.Set<String> primaries) {
        if (!since.isEmpty()) {
            since.keySet().removeIf(shard -> !primaries.contains(shard));
        }
    }

    /** The shards short of replicas now, each with since when. */
    public Map<String, Instant> shortShards() {
        return new TreeMap<>(since);
    }
}
