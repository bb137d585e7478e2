package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.WindowedApply;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.rebuild.RebuildCheckpoint;
import io.cachep.dlqtool.rebuild.RebuildLease;
import io.cachep.envelope.CloudEventJsonParser;
import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * rebuild against a real broker and redis-server: the dry run says what would change and writes nothing; a rebuild
 * repairs a damaged namespace and leaves no shadow behind; an interrupted rebuild resumes and ends equal to the model;
 * it refuses a log that lost its start or a compacted topic feeding merge or member rules, unless
 * --allow-partial-history; and one rebuild of a namespace runs at a time.
 */
@ExtendWith(DevStackExtension.class)
class RebuildCommandIT {
    private static final String RULES = """
            namespace: ${namespace}
            rules:
              - name: started
                topic: ${topic}
                type: started
                mutations:
                  - upsert: { key: "session:{subject}", hash: { device: "{data.device}", user: "{data.user}" } }
                  - set-add: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: ended
                topic: ${topic}
                type: ended
                mutations:
                  - delete: { key: "session:{subject}" }
                  - set-remove: { key: "user:{data.user}:sessions", member: "{subject}" }
            """;
    /** The same rules without their set mutations: whole entries only. */
    private static final String WHOLE_ENTRY_RULES = RULES.lines().filter(line -> !line.contains("set-"))
            .collect(Collectors.joining("\n", "", "\n"));

    private DevStack stack;
    private String topic;
    private String namespace;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void connect(DevStack stack, TestIsolation isolation) {
        this.stack = stack;
        topic = isolation.topic("events");
        namespace = isolation.keyPrefix();
        client = RedisClient.create(stack.redisUri());
        connection = client.connect();
        redis = connection.sync();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close();
        connection.close();
        client.shutdown();
    }

    @Test
    void shouldShowWhatWouldChangeWithoutWritingThenRepairTheNamespaceAndLeaveNoShadow(@TempDir Path dir) throws Exception {
        Map<String, String> env = setUp(dir, RULES, Map.of());
        List<LoggedEvent> log = produceSessions(20, 5);
        RuleEngine engine = new RuleEngine(RulesFileLoader.load(Path.of(env.get("PROJECTOR_RULES_FILE"))));
        RedisApplier applier = new RedisApplier(connection.async(), engine.rules().tombstoneRetention(), engine.layout());
        for (LoggedEvent logged : log) { // what the projector wrote
            applier.apply(EventStamp.of(logged.event()), engine.project(topic, logged.event())).get();
        }
        KeyLayout live = engine.layout();
        redis.del(live.entry("session:{s-10}").data(), live.entry("session:{s-10}").fence());
        redis.hset(live.entry("session:{s-11}").data(), "device", "tampered");
        redis.set(live.entry("ghost:{g-1}").data(), "written by hand");

        CliRun.Result dryRun = rebuild(env);
        assertThat(dryRun.exit()).as(dryRun.both()).isZero();
        assertThat(dryRun.out()).contains(topic).contains("delete").containsPattern("records\\s*\n")
                .containsPattern("log records\\s+25").containsPattern("entries the log implies\\s+25")
                .containsPattern("would promote \\(missing or different\\)\\s+2")
                .containsPattern("would drop \\(the log does not imply them\\)\\s+1")
                .containsPattern("promote\\s+" + Pattern.quote(live.entry("session:{s-10}").data()))
                .containsPattern("drop\\s+" + Pattern.quote(live.entry("ghost:{g-1}").data()))
                .contains("dry run: nothing written; add --execute");
        assertThat(dryRun.err()).contains("reading the log");
        assertThat(redis.keys(namespace + ":~rebuild*")).isEmpty();
        assertThat(redis.exists(live.entry("ghost:{g-1}").data())).isOne();

        JsonNode json = rebuild(env, "-o", "json").json();
        assertThat(json.get("executed").asBoolean()).isFalse();
        assertThat(json.get("wouldPromote").asLong()).isEqualTo(2);
        assertThat(json.get("wouldDrop").asLong()).isEqualTo(1);
        assertThat(json.get("topics").get(0).get("topic").asText()).isEqualTo(topic);

        CliRun.Result rebuilt = rebuild(env, "--execute");
        assertThat(rebuilt.exit()).as(rebuilt.both()).isZero();
        assertThat(rebuilt.out()).contains("REBUILT: " + namespace + " reflects the log under the current rules")
                // 20 sessions (5 of them tombstones) and 10 users' session sets
                .containsPattern("entries built in the shadow\\s+30").containsPattern("promoted\\s+2\n")
                .containsPattern("unchanged \\(already equal\\)\\s+28").containsPattern("dropped \\(the log does not imply them\\)\\s+1");
        assertThat(rebuilt.err()).contains("building the shadow").contains("promoting entries");
        assertThat(redis.keys(namespace + ":~rebuild*")).as("the shadow is removed").isEmpty();
        assertThat(RedisSnapshots.read(redis, live)).isEqualTo(model(engine, log));
        assertThat(CliRun.run(new VerifyCommand(env)).exit()).isZero();

        JsonNode again = rebuild(env, "--execute", "-o", "json").json();
        assertThat(again.get("counts").get("promoted").asLong()).as("a second rebuild finds nothing to do").isZero();
        assertThat(again.get("counts").get("unchanged").asLong()).isEqualTo(30);
    }

    @Test
    void shouldResumeAnInterruptedRebuildWhereItStoppedAndEndEqualToTheModel(@TempDir Path dir) throws Exception {
        Map<String, String> env = setUp(dir, RULES, Map.of());
        // Over two shadow windows (the build's checkpoints fall where a window drains) and two promote batches each.
        List<LoggedEvent> log = produceSessions(2 * WindowedApply.WINDOW, WindowedApply.WINDOW / 2);
        KeyLayout live = new KeyLayout(namespace);
        redis.set(live.entry("ghost:{g-1}").data(), "written by hand"); // Redis lost everything else

        CliRun.Result killedInBuild = rebuild(env, interruptAt("BUILD", 2), "--execute");
        assertThat(killedInBuild.exit()).as(killedInBuild.both()).isEqualTo(1);
        assertThat(killedInBuild.err()).contains("rebuild failed: interrupted by the test");
        assertThat(redis.hget(RebuildCheckpoint.key(live.shadow()), "phase")).isEqualTo("BUILD");

        CliRun.Result killedInPromote = rebuild(env, interruptAt("PROMOTE", 2), "--execute");
        assertThat(killedInPromote.exit()).as(killedInPromote.both()).isEqualTo(1);
        assertThat(killedInPromote.err()).contains("resuming the rebuild started at");
        long total = log.size();
        assertThat(shadowRecordsRead(killedInPromote.err())).as("the second run read only what the first had not")
                .isPositive().isLessThan(total);
        assertThat(redis.hget(RebuildCheckpoint.key(live.shadow()), "phase")).isEqualTo("PROMOTE");

        CliRun.Result finished = rebuild(env, "--execute");
        assertThat(finished.exit()).as(finished.both()).isZero();
        assertThat(finished.err()).contains("resuming the rebuild started at").doesNotContain("building the shadow");
        assertThat(finished.out()).contains("(resumed an interrupted run)").containsPattern("log records read into the shadow\\s+" + total)
                .containsPattern("dropped \\(the log does not imply them\\)\\s+1");
        RuleEngine engine = new RuleEngine(RulesFileLoader.load(Path.of(env.get("PROJECTOR_RULES_FILE"))));
        assertThat(RedisSnapshots.read(redis, live)).isEqualTo(model(engine, log));
        assertThat(redis.keys(namespace + ":~rebuild*")).isEmpty();
        assertThat(CliRun.run(new VerifyCommand(env)).exit()).isZero();
    }

    @Test
    void shouldRefuseALogThatLostItsStartUnlessPartialHistoryIsAllowed(@TempDir Path dir) throws Exception {
        Map<String, String> env = setUp(dir, RULES, Map.of(), 1);
        produceSessions(10, 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(3))).all().get();
        }

        CliRun.Result refused = rebuild(env, "--execute");
        assertThat(refused.exit()).as(refused.both()).isEqualTo(1);
        assertThat(refused.err()).contains("refusing: topic " + topic + " no longer holds its start (partition@first offset: 0@3)")
                .contains("--allow-partial-history");
        assertThat(refused.out()).contains("REFUSED");
        assertThat(redis.keys(namespace + ":*")).as("nothing written").isEmpty();

        CliRun.Result partial = rebuild(env, "--execute", "--allow-partial-history");
        assertThat(partial.exit()).as(partial.both()).isEqualTo(3);
        assertThat(partial.err()).contains("warning: topic " + topic + " no longer holds its start");
        assertThat(partial.out()).contains("REBUILT FROM PARTIAL HISTORY").containsPattern("log records read into the shadow\\s+7");
    }

    @Test
    void shouldRefuseRulesThatMergeOrMaintainMembersFromACompactedTopicButNotWholeEntryRules(@TempDir Path dir) throws Exception {
        Map<String, String> env = setUp(dir, RULES, Map.of("cleanup.policy", "compact"));
        produceSessions(5, 1);

        CliRun.Result refused = rebuild(env);
        assertThat(refused.exit()).as(refused.both()).isEqualTo(1);
        assertThat(refused.err()).contains("refusing: topic " + topic + " is compacted")
                .contains("rule 'started' maintains members (set-add)").contains("rule 'ended' maintains members (set-remove)")
                .contains("only whole-entry rules (upsert, delete) rebuild exactly from a compacted topic");

        Files.writeString(Path.of(env.get("PROJECTOR_RULES_FILE")), rules(WHOLE_ENTRY_RULES));
        CliRun.Result allowed = rebuild(env);
        assertThat(allowed.exit()).as(allowed.both()).isZero();
        assertThat(allowed.err()).contains("note: topic " + topic + " is compacted").contains("rebuild exactly");
        assertThat(allowed.out()).contains("compact").contains("dry run: nothing written");
    }

    @Test
    void shouldRunOneRebuildOfANamespaceAtATime(@TempDir Path dir) throws Exception {
        Map<String, String> env = setUp(dir, RULES, Map.of());
        produceSessions(3, 0);
        try (RebuildLease held = RebuildLease.acquire(redis, new KeyLayout(namespace).shadow())) {
            CliRun.Result refused = rebuild(env, "--execute");
            assertThat(refused.exit()).as(refused.both()).isEqualTo(1);
            assertThat(refused.err()).contains("another rebuild of this namespace is running");
        }
        assertThat(rebuild(env, "--execute").exit()).isZero();
    }

    private Map<String, String> setUp(Path dir, String rules, Map<String, String> topicConfig) throws Exception {
        return setUp(dir, rules, topicConfig, 2);
    }

    private Map<String, String> setUp(Path dir, String rules, Map<String, String> topicConfig, int partitions) throws Exception {
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()),
                List.of(new TopicSpec(topic, partitions, (short) 1, topicConfig)));
        Path file = Files.writeString(dir.resolve("rules.yaml"), rules(rules));
        return Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(), "PROJECTOR_REDIS_URI", stack.redisUri(),
                "PROJECTOR_RULES_FILE", file.toString());
    }

    private String rules(String template) {
        return template.replace("${namespace}", namespace).replace("${topic}", topic);
    }

    /** {@code count} sessions of users u-0..u-9, the first {@code ended} of them ended: one record per event. */
    private List<LoggedEvent> produceSessions(int count, int ended) throws Exception {
        List<LoggedEvent> log = new ArrayList<>();
        CloudEventJsonParser parser = new CloudEventJsonParser();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            Map<String, String> data = Map.of("device", i % 2 == 0 ? "ios" : "web", "user", "u-" + (i % 10));
            log.add(send(parser, CloudEvents.event("started", "s-" + i, 1, now, data)));
        }
        for (int i = 0; i < ended; i++) {
            log.add(send(parser, CloudEvents.event("ended", "s-" + i, 2, now, Map.of("user", "u-" + (i % 10)))));
        }
        producer.flush();
        return log;
    }

    private LoggedEvent send(CloudEventJsonParser parser, byte[] value) throws Exception {
        EventEnvelope event = parser.parse(null, value);
        producer.send(new ProducerRecord<>(topic, event.subject(), value));
        return new LoggedEvent(topic, event);
    }

    private CliRun.Result rebuild(Map<String, String> env, String... args) {
        return rebuild(env, () -> {}, args);
    }

    private CliRun.Result rebuild(Map<String, String> env, Runnable afterCheckpoint, String... args) {
        RebuildCommand command = new RebuildCommand(env);
        command.afterCheckpoint = afterCheckpoint;
        List<String> all = new ArrayList<>(List.of("--namespace", namespace));
        all.addAll(List.of(args));
        return CliRun.run(command, all.toArray(String[]::new));
    }

    /** Fails the run, as a kill would stop it, at the n-th checkpoint saved in the phase. */
    private Runnable interruptAt(String phase, int n) {
        AtomicInteger seen = new AtomicInteger();
        String key = RebuildCheckpoint.key(new KeyLayout(namespace).shadow());
        return () -> {
            if (phase.equals(redis.hget(key, "phase")) && seen.incrementAndGet() == n) {
                throw new IllegalStateException("interrupted by the test");
            }
        };
    }

    /** The records the shadow build read, from its last progress line on stderr. */
    private static long shadowRecordsRead(String err) {
        Matcher line = Pattern.compile("building the shadow: ([\\d,]+)/").matcher(err);
        long read = -1;
        while (line.find()) {
            read = Long.parseLong(line.group(1).replace(",", ""));
        }
        return read;
    }

    private static Map<String, ?> model(RuleEngine engine, List<LoggedEvent> log) {
        return new ReferenceProjection(engine).project(log, Instant.now().toEpochMilli());
    }
}
