package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fence on a real Redis Cluster (six redis-server processes): random event streams, shuffled, duplicated and
 * replayed, batched and pipelined as the projector sends them, end equal to the reference projection. Every batch
 * is cut into one call per node (keys of several slots in one call: apply_slots), events that write two entities on
 * two nodes (a session and its user's set) are applied in parts, and tags live in per-slot index shards that an invalidation visits through the tag's registry
 * (docs/architecture.md, "Tags across slots").
 */
@ExtendWith(DevStackExtension.class)
class ClusterFencingMatchesModelIT {
    private static final int STREAMS = Integer.getInteger("cachep.model.cluster.streams", 60);
    private static final String TOPIC = "events";
    private static final String RULES = FencingMatchesModelIT.RULES;

    private static RedisCluster cluster;

    /** One cluster for the class (DevStackExtension starts it, and closes it when the class is done). */
    @BeforeAll
    static void startCluster(RedisCluster given) {
        cluster = given;
    }

    @Test
    void shouldEndEqualToTheModelWhenBatchesAreCutBySlot(@TempDir Path dir) throws Exception {
        assertThat(RULES).contains("tags:").contains("invalidate-tag");
        ProjectorConfig config = new ConfigLoader(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "unused:9092",
                "PROJECTOR_RULES_FILE", Files.writeString(dir.resolve("rules.yaml"), "rules: []\n").toString(),
                "PROJECTOR_REDIS_URI", cluster.uri(), "PROJECTOR_REDIS_CLUSTER", "true")).load(Optional.empty(), Map.of());
        Long only = Long.getLong("cachep.model.seed");
        long base = new Random().nextLong();
        try (RedisTarget redis = RedisTarget.connect(config.redis(), null)) {
            int streams = only != null ? 1 : STREAMS;
            for (int i = 0; i < streams; i++) {
                long seed = only != null ? only : base + i;
                checkStream(redis, seed, "cl" + i);
            }
        }
    }

    private static void checkStream(RedisTarget redis, long seed, String namespace) throws Exception {
        ProjectionRules rules = RulesFileLoader.parse("model-rules.yaml", RULES.replace("${namespace}", namespace));
        RuleEngine engine = new RuleEngine(rules);
        RedisApplier applier = new RedisApplier(redis, rules.tombstoneRetention(), engine.layout());
        long now = Instant.now().toEpochMilli();
        EventStreams generator = new EventStreams(new Random(seed), now);
        List<EventEnvelope> delivered = generator.deliver(generator.log());
        Random random = new Random(seed);
        try (ApplyBatcher batcher = new ApplyBatcher(applier, 1 + random.nextInt(40), Duration.ofMillis(1))) {
            List<CompletableFuture<List<ApplyOutcome>>> writes = new ArrayList<>();
            for (EventEnvelope event : delivered) {
                writes.add(batcher.apply(EventStamp.of(event), engine.project(TOPIC, event)));
            }
            batcher.flush();
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        }
        List<LoggedEvent> logged = new ArrayList<>();
        delivered.forEach(e -> logged.add(new LoggedEvent(TOPIC, e)));
        Map<String, EntrySnapshot> expected = new ReferenceProjection(engine).project(logged, now);
        assertThat(RedisSnapshots.read(redis.sync(), engine.layout()))
                .as("seed %d (rerun with -Dcachep.model.seed=%d); delivered:%n%s", seed, seed, EventStreams.describe(delivered))
                .isEqualTo(expected);
    }
}
