package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rulesfile.RulesFileLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One promise of the version fence per test, against a real redis-server: events are built by hand, rendered by
 * {@link RuleEngine} from a rules file and applied by {@link RedisApplier} in exactly the order each test delivers
 * them. Event times are minutes before now and TTLs hours long, so nothing expires while a test runs.
 */
@ExtendWith(DevStackExtension.class)
class OperationFencingIT {
    private static final String TOPIC = "events";
    private static final String RULES = """
            namespace: ${namespace}
            tombstone-retention: 24h
            rules:
              - name: profile-updated
                topic: events
                type: profile-updated
                mutations:
                  - merge: { key: "user:{subject}:profile", hash-from: data }
              - name: profile-replaced
                topic: events
                type: profile-replaced
                mutations:
                  - upsert: { key: "user:{subject}:profile", hash: { name: "{data.name}", email: "{data.email}" } }
              - name: device-added
                topic: events
                type: device-added
                mutations:
                  - set-add: { key: "user:{subject}:devices", member: "{data.device}" }
              - name: device-removed
                topic: events
                type: device-removed
                mutations:
                  - set-remove: { key: "user:{subject}:devices", member: "{data.device}" }
              - name: participant-joined
                topic: events
                type: participant-joined
                mutations:
                  - zset-add: { key: "room:{subject}:participants", member: "{data.userId}", score: "{data.joinedAt}" }
              - name: session-started
                topic: events
                type: session-started
                mutations:
                  - upsert:
                      key: "session:{subject}"
                      hash: { userId: "{data.userId}" }
                      ttl: 30m
                      tags: ["tenant:{data.tenantId}"]
              - name: session-refreshed
                topic: events
                type: session-refreshed
                mutations:
                  - expire: { key: "session:{subject}", ttl: 30m }
              - name: session-ended
                topic: events
                type: session-ended
                mutations:
                  - invalidate: { key: "session:{subject}", channel: "${namespace}-invalidation" }
              - name: tenant-flushed
                topic: events
                type: tenant-flushed
                mutations:
                  - invalidate-tag: { tag: "tenant:{subject}" }
            """;

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private String namespace;
    private RuleEngine engine;
    private RedisApplier applier;
    /** Every event delivered so far, for the reference projection. */
    private final List<LoggedEvent> delivered = new ArrayList<>();
    /** Ten minutes ago, to the millisecond, as event times are. */
    private final Instant t0 = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void connect(DevStack stack, TestIsolation isolation) {
        namespace = isolation.keyPrefix();
        ProjectionRules rules = RulesFileLoader.parse("fencing-rules.yaml", RULES.replace("${namespace}", namespace));
        engine = new RuleEngine(rules);
        client = RedisClient.create(stack.redisUri());
        connection = client.connect();
        redis = connection.sync();
        applier = new RedisApplier(connection.async(), rules.tombstoneRetention(), engine.layout());
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    private static EventEnvelope event(String type, String subject, long version, Instant time, Map<String, Object> data) {
        return new EventEnvelope(UUID.randomUUID().toString(), type, "/fencing-test", subject, time, version, data, "{}");
    }

    /** Applies one event as the projector does, and says what the fence decided for it. */
    private ApplyOutcome deliver(EventEnvelope event) throws Exception {
        delivered.add(new LoggedEvent(TOPIC, event));
        return ApplyOutcome.ofEvent(applier.apply(EventStamp.of(event), engine.project(TOPIC, event)).get());
    }

    private String key(String rendered) {
        return namespace + ":" + rendered;
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            data.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return data;
    }

    // ---- merge: fenced per field

    @Test
    void shouldLetALateOlderMergeSetAFieldNoNewerEventSetButNotAFieldANewerMergeSet() throws Exception {
        deliver(event("profile-updated", "u-1", 2, t0.plusSeconds(2), fields("name", "Ada King")));
        ApplyOutcome late = deliver(event("profile-updated", "u-1", 1, t0,
                fields("name", "Ada Byron", "email", "ada@example.com")));

        assertThat(late).as("the late merge still wrote one field").isEqualTo(ApplyOutcome.APPLIED);
        assertThat(redis.hgetall(key("user:{u-1}:profile")))
                .isEqualTo(Map.of("name", "Ada King", "email", "ada@example.com"));
    }

    @Test
    void shouldNotLetAnOlderMergeUndoTheRemovalOfAFieldByANewerOne() throws Exception {
        deliver(event("profile-updated", "u-1", 1, t0, fields("name", "Ada", "nickname", "Countess")));
        deliver(event("profile-updated", "u-1", 3, t0.plusSeconds(3), fields("nickname", null)));
        ApplyOutcome late = deliver(event("profile-updated", "u-1", 2, t0.plusSeconds(2), fields("nickname", "Enchantress")));

        assertThat(late).isEqualTo(ApplyOutcome.STALE);
        assertThat(redis.hgetall(key("user:{u-1}:profile"))).isEqualTo(Map.of("name", "Ada"));
    }

    @Test
    void shouldKeepTheFieldOfANewerMergeWhenAnOlderUpsertArrivesAfterIt() throws Exception {
        deliver(event("profile-updated", "u-1", 3, t0.plusSeconds(3), fields("email", "ada@new.example")));
        ApplyOutcome late = deliver(event("profile-replaced", "u-1", 2, t0.plusSeconds(2),
                fields("name", "Ada", "email", "ada@old.example")));

        assertThat(late).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(redis.hgetall(key("user:{u-1}:profile")))
                .isEqualTo(Map.of("name", "Ada", "email", "ada@new.example"));
    }

    // ---- set and sorted-set members: fenced per member

    @Test
    void shouldNotReAddAMemberWhenAnOlderAddArrivesAfterANewerRemoveAndLeaveOtherMembersAlone() throws Exception {
        deliver(event("device-added", "u-1", 1, t0, fields("device", "laptop")));
        deliver(event("device-removed", "u-1", 3, t0.plusSeconds(3), fields("device", "phone")));
        ApplyOutcome late = deliver(event("device-added", "u-1", 2, t0.plusSeconds(2), fields("device", "phone")));
        deliver(event("device-added", "u-1", 4, t0.plusSeconds(4), fields("device", "tablet")));

        assertThat(late).isEqualTo(ApplyOutcome.STALE);
        assertThat(redis.smembers(key("user:{u-1}:devices"))).containsExactlyInAnyOrder("laptop", "tablet");
    }

    @Test
    void shouldChangeAMembersScoreOnlyForANewerVersion() throws Exception {
        String room = key("room:{r-1}:participants");
        deliver(event("participant-joined", "r-1", 2, t0.plusSeconds(2), fields("userId", "u-1", "joinedAt", 200)));
        deliver(event("participant-joined", "r-1", 3, t0.plusSeconds(3), fields("userId", "u-2", "joinedAt", 300)));

        assertThat(deliver(event("participant-joined", "r-1", 1, t0, fields("userId", "u-1", "joinedAt", 100))))
                .isEqualTo(ApplyOutcome.STALE);
        assertThat(redis.zscore(room, "u-1")).isEqualTo(200.0);

        assertThat(deliver(event("participant-joined", "r-1", 4, t0.plusSeconds(4), fields("userId", "u-1", "joinedAt", 400))))
                .isEqualTo(ApplyOutcome.APPLIED);
        assertThat(redis.zrangeWithScores(room, 0, -1)).containsExactly(
                ScoredValue.just(300, "u-2"), ScoredValue.just(400, "u-1"));
    }

    // ---- expire: a register of its own, fenced by the version that set it

    @Test
    void shouldKeepTheExpiryOfARefreshThatArrivedBeforeTheStartItRefreshes() throws Exception {
        Instant refreshedAt = t0.plus(Duration.ofMinutes(5));
        deliver(event("session-refreshed", "s-1", 2, refreshedAt, Map.of()));
        deliver(event("session-started", "s-1", 1, t0, fields("userId", "u-1", "tenantId", "t-1")));

        assertThat(redis.hgetall(key("session:{s-1}"))).isEqualTo(Map.of("userId", "u-1"));
        assertThat(redis.pexpiretime(key("session:{s-1}")))
                .isEqualTo(refreshedAt.plus(Duration.ofMinutes(30)).toEpochMilli());
    }

    @Test
    void shouldNotLetAnOlderRefreshReplaceTheExpiryOfANewerOne() throws Exception {
        Instant newer = t0.plus(Duration.ofMinutes(8));
        deliver(event("session-started", "s-1", 1, t0, fields("userId", "u-1", "tenantId", "t-1")));
        deliver(event("session-refreshed", "s-1", 3, newer, Map.of()));
        ApplyOutcome late = deliver(event("session-refreshed", "s-1", 2, t0.plus(Duration.ofMinutes(4)), Map.of()));

        assertThat(late).isEqualTo(ApplyOutcome.STALE);
        assertThat(redis.pexpiretime(key("session:{s-1}"))).isEqualTo(newer.plus(Duration.ofMinutes(30)).toEpochMilli());
    }

    // ---- invalidate-tag: by event time

    private ApplyOutcome startSession(String session, long version, Instant time, String tenant) throws Exception {
        return deliver(event("session-started", session, version, time, fields("userId", "owner-of-" + session, "tenantId", tenant)));
    }

    private ApplyOutcome flushTenant(String tenant, Instant time) throws Exception {
        return deliver(event("tenant-flushed", tenant, 1, time, Map.of()));
    }

    @Test
    void shouldDropEveryEntryOfTheTagWrittenAtOrBeforeTheInvalidationAndNoOtherTagsEntries() throws Exception {
        Instant flushedAt = t0.plus(Duration.ofMinutes(5));
        startSession("s-1", 1, flushedAt.minus(Duration.ofMinutes(2)), "t-1");
        startSession("s-2", 1, flushedAt, "t-1");
        startSession("s-9", 1, flushedAt.minus(Duration.ofMinutes(2)), "t-2");

        flushTenant("t-1", flushedAt);

        assertThat(redis.exists(key("session:{s-1}"), key("session:{s-2}"))).as("t-1's sessions").isZero();
        assertThat(redis.hgetall(key("session:{s-9}"))).as("t-2's session").isEqualTo(Map.of("userId", "owner-of-s-9"));
    }

    @Test
    void shouldKeepAnEntryOfTheTagWrittenAfterTheInvalidationTime() throws Exception {
        Instant flushedAt = t0.plus(Duration.ofMinutes(5));
        startSession("s-3", 1, flushedAt.plusMillis(1), "t-1");
        flushTenant("t-1", flushedAt);
        startSession("s-5", 1, flushedAt.plus(Duration.ofMinutes(1)), "t-1");

        assertThat(redis.hgetall(key("session:{s-3}"))).isEqualTo(Map.of("userId", "owner-of-s-3"));
        assertThat(redis.hgetall(key("session:{s-5}"))).isEqualTo(Map.of("userId", "owner-of-s-5"));
    }

    @Test
    void shouldDropAWriteDatedBeforeTheInvalidationEvenWhenItArrivesAfterIt() throws Exception {
        Instant flushedAt = t0.plus(Duration.ofMinutes(5));
        flushTenant("t-1", flushedAt);

        startSession("s-4", 1, flushedAt.minus(Duration.ofMinutes(1)), "t-1");

        assertThat(redis.exists(key("session:{s-4}"))).isZero();
        // ...and it stays gone when the same late write is redelivered.
        startSession("s-4", 1, flushedAt.minus(Duration.ofMinutes(1)), "t-1");
        assertThat(redis.exists(key("session:{s-4}"))).isZero();
    }

    @Test
    void shouldPublishTheDataKeyOfAnInvalidatedEntryOnTheRulesChannel() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        String channel = namespace + "-invalidation";
        try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    if (channel.equals(from)) {
                        received.add(message);
                    }
                }
            });
            subscriber.sync().subscribe(channel);
            startSession("s-1", 1, t0, "t-1");

            assertThat(deliver(event("session-ended", "s-1", 2, t0.plusSeconds(60), Map.of())))
                    .isEqualTo(ApplyOutcome.APPLIED);

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            assertThat(received).containsExactly(key("session:{s-1}"));
            assertThat(redis.exists(key("session:{s-1}"))).isZero();
        }
    }

    // ---- the fence beside the data

    @Test
    void shouldKeepFenceMetadataOutOfTheEntriesAndBesideThemOnTheSameSlot() throws Exception {
        deliver(event("profile-replaced", "u-1", 1, t0, fields("name", "Ada", "email", "ada@example.com")));
        deliver(event("profile-updated", "u-1", 2, t0.plusSeconds(2), fields("nickname", "Countess", "email", null)));
        deliver(event("device-added", "u-1", 3, t0.plusSeconds(3), fields("device", "laptop")));
        deliver(event("participant-joined", "r-1", 1, t0, fields("userId", "u-1", "joinedAt", 5)));

        assertThat(redis.hgetall(key("user:{u-1}:profile"))).isEqualTo(Map.of("name", "Ada", "nickname", "Countess"));
        assertThat(redis.smembers(key("user:{u-1}:devices"))).containsExactly("laptop");
        assertThat(redis.zrangeWithScores(key("room:{r-1}:participants"), 0, -1)).containsExactly(ScoredValue.just(5, "u-1"));

        KeyLayout layout = engine.layout();
        List<String> keys = ScanIterator.scan(redis, ScanArgs.Builder.matches(layout.scanPattern())).stream().toList();
        List<String> dataKeys = keys.stream().filter(k -> !layout.isMetadata(k)).sorted().toList();
        List<String> fenceKeys = keys.stream().filter(layout::isMetadata).sorted().toList();
        assertThat(dataKeys).containsExactly(key("room:{r-1}:participants"), key("user:{u-1}:devices"),
                key("user:{u-1}:profile"));
        assertThat(fenceKeys).containsExactly(namespace + ":~fence:room:{r-1}:participants",
                namespace + ":~fence:user:{u-1}:devices", namespace + ":~fence:user:{u-1}:profile");
        for (String dataKey : dataKeys) {
            String fence = namespace + ":~fence:" + dataKey.substring(namespace.length() + 1);
            assertThat(redis.type(fence)).as(fence).isEqualTo("hash");
            assertThat(SlotHash.getSlot(fence)).as("slot of %s", fence).isEqualTo(SlotHash.getSlot(dataKey));
        }
    }
}
