package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The heart of cachep, checked against a real redis-server: for random event streams over every operation, delivered
 * shuffled, duplicated and replayed, Redis ends equal to the reference projection (each event once, in version
 * order). Streams are generated from seeds; a failure prints the seed, which reproduces it with
 * {@code -Dcachep.model.seed=<seed>}. Checked twice: one event per script call, awaited one by one; and the
 * projector's way, many events per call, pipelined.
 */
@ExtendWith(DevStackExtension.class)
class FencingMatchesModelIT {
    private static final int STREAMS = Integer.getInteger("cachep.model.streams", 300);
    private static final String TOPIC = "events";
    static final String RULES = """
            namespace: ${namespace}
            tombstone-retention: 24h
            rules:
              - name: started
                topic: events
                type: started
                mutations:
                  - upsert:
                      key: "session:{subject}"
                      hash: { user: "{data.user}", device: "{data.device}" }
                      ttl: 1h
                      tags: ["tenant:{data.tenant}"]
                  - set-add: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: refreshed
                topic: events
                type: refreshed
                mutations:
                  - expire: { key: "session:{subject}", ttl: 2h }
              - name: ended
                topic: events
                type: ended
                mutations:
                  - invalidate: { key: "session:{subject}", channel: invalidations }
                  - set-remove: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: updated
                topic: events
                type: updated
                mutations:
                  - merge: { key: "profile:{subject}", hash-from: data }
              - name: noted
                topic: events
                type: noted
                mutations:
                  - merge: { key: "profile:{subject}", hash: { note: "{data.note}" }, ttl: 1h }
              - name: snapshot
                topic: events
                type: snapshot
                mutations:
                  - upsert: { key: "card:{subject}", json: "{data}" }
              - name: erased
                topic: events
                type: erased
                mutations:
                  - delete: { key: "profile:{subject}" }
              - name: joined
                topic: events
                type: joined
                mutations:
                  - zset-add: { key: "room:{subject}:members", member: "{data.user}", score: "{data.at}" }
              - name: left
                topic: events
                type: left
                mutations:
                  - zset-remove: { key: "room:{subject}:members", member: "{data.user}" }
              - name: flushed
                topic: events
                type: flushed
                mutations:
                  - invalidate-tag: { tag: "tenant:{subject}" }
            """;

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    @BeforeEach
    void connect(DevStack stack) {
        client = RedisClient.create(stack.redisUri());
        connection = client.connect();
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    /** How a test hands the delivered events to Redis. */
    private interface Delivery {
        void apply(RedisApplier applier, RuleEngine engine, List<EventEnvelope> delivered, Random random) throws Exception;
    }

    @Test
    void shouldEndEqualToTheModelWhateverOrderDuplicationAndReplayTheLogDelivers(TestIsolation isolation) throws Exception {
        checkStreams(isolation.keyPrefix(), (applier, engine, delivered, random) -> {
            for (EventEnvelope event : delivered) {
                applier.apply(EventStamp.of(event), project(engine, event)).get();
            }
        });
    }

    /**
     * The projector's way: events gathered into batches of random sizes, one script call each, all pipelined without
     * waiting. Each event must still come out as if it had had a call of its own.
     */
    @Test
    void shouldEndEqualToTheModelWhenEventsShareBatchesAndArePipelined(TestIsolation isolation) throws Exception {
        checkStreams(isolation.keyPrefix() + "b", (applier, engine, delivered, random) -> {
            try (ApplyBatcher batcher = new ApplyBatcher(applier, 1 + random.nextInt(40), Duration.ofMillis(1))) {
                List<CompletableFuture<List<ApplyOutcome>>> writes = new ArrayList<>();
                for (EventEnvelope event : delivered) {
                    writes.add(batcher.apply(EventStamp.of(event), project(engine, event)));
                }
                batcher.flush();
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            }
        });
    }

    /**
     * An upgrade from the release before the lean fence (layout 1): the events up to a random point are applied by
     * that release's scripts, the rest by this release, which must take every fence as that release left it.
     */
    @Test
    void shouldEndEqualToTheModelWhenTheReleaseBeforeTheLeanFenceAppliedTheFirstEvents(TestIsolation isolation)
            throws Exception {
        checkStreams(isolation.keyPrefix() + "u", (applier, engine, delivered, random) -> {
            Layout1Applier before = new Layout1Applier(connection.sync(), engine.rules().tombstoneRetention(),
                    engine.layout());
            int upgradeAt = random.nextInt(delivered.size() + 1);
            for (int i = 0; i < delivered.size(); i++) {
                EventEnvelope event = delivered.get(i);
                if (i < upgradeAt) {
                    before.apply(EventStamp.of(event), project(engine, event));
                } else {
                    applier.apply(EventStamp.of(event), project(engine, event)).get();
                }
            }
        });
    }

    private void checkStreams(String prefix, Delivery delivery) throws Exception {
        Long only = Long.getLong("cachep.model.seed");
        long base = new Random().nextLong();
        int streams = only != null ? 1 : STREAMS;
        int events = 0;
        for (int i = 0; i < streams; i++) {
            long seed = only != null ? only : base + i;
            events += checkStream(seed, prefix + "s" + i, delivery);
        }
        assertThat(events).as("events applied over %d streams", streams).isGreaterThan(streams * 10);
    }

    private static List<io.cachep.rules.Mutation> project(RuleEngine engine, EventEnvelope event) {
        try {
            return engine.project(TOPIC, event);
        } catch (PoisonEventException e) {
            throw new AssertionError("the generator made a poison event: " + e.getMessage(), e);
        }
    }

    private int checkStream(long seed, String namespace, Delivery delivery) throws Exception {
        ProjectionRules rules = RulesFileLoader.parse("model-rules.yaml", RULES.replace("${namespace}", namespace));
        RuleEngine engine = new RuleEngine(rules);
        RedisApplier applier = new RedisApplier(connection.async(), rules.tombstoneRetention(), engine.layout());
        long now = Instant.now().toEpochMilli();
        EventStreams generator = new EventStreams(new Random(seed), now);
        List<EventEnvelope> log = generator.log();
        List<EventEnvelope> delivered = generator.deliver(log);
        delivery.apply(applier, engine, delivered, new Random(seed));
        List<LoggedEvent> logged = new ArrayList<>();
        delivered.forEach(e -> logged.add(new LoggedEvent(TOPIC, e)));
        Map<String, EntrySnapshot> expected = new ReferenceProjection(engine).project(logged, now);
        Map<String, EntrySnapshot> actual = RedisSnapshots.read(connection.sync(), engine.layout());
        assertThat(actual)
                .as("seed %d (rerun with -Dcachep.model.seed=%d); delivered:%n%s", seed, seed, EventStreams.describe(delivered))
                .isEqualTo(expected);
        return delivered.size();
    }
}
