package io.cachep.dlqtool.verify.share;

import static io.cachep.dlqtool.CloudEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.log.LoggedEvents;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rules.reference.StreamedProjection;
import io.cachep.rulesfile.RulesFileLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared verify's topology without a broker: a log that feeds one entry from two topics with different record
 * keys and invalidates a tag, split and folded through the topology, leaves in the share's stores exactly what the
 * reference projection computes from the same log; a poison record is counted, and records past the run's bound are
 * left out.
 */
class ShareTopologyTest {
    private static final String RULES = """
            namespace: demo
            rules:
              - name: session-started
                topic: sessions
                type: started
                mutations:
                  - upsert: { key: "session:{subject}", hash: { user: "{data.user}" }, tags: ["user:{data.user}"] }
                  - set-add: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: session-ended
                topic: sessions
                type: ended
                mutations:
                  - set-remove: { key: "user:{data.user}:sessions", member: "{subject}" }
              - name: user-signed-out
                topic: users
                type: signed-out
                mutations:
                  - delete: { key: "user:{subject}:sessions" }
                  - invalidate-tag: { tag: "user:{subject}" }
            """;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private record Logged(String topic, String key, byte[] value) {}

    @Test
    void shouldFoldEachShareOfTheLogAsTheReferenceProjectionDoes(@TempDir Path state) throws Exception {
        RuleEngine engine = new RuleEngine(RulesFileLoader.parse("rules.yaml", RULES));
        Random random = new Random(7);
        List<Logged> log = new ArrayList<>();
        for (int s = 0; s < 300; s++) {
            String user = "u-" + random.nextInt(20);
            log.add(new Logged("sessions", "s-" + s, event("started", "s-" + s, 1, START.plusSeconds(s), Map.of("user", user))));
            if (random.nextInt(4) == 0) {
                log.add(new Logged("sessions", "s-" + s, event("ended", "s-" + s, 2, START.plusSeconds(s + 1), Map.of("user", user))));
            }
            if (s % 60 == 59) {
                String out = "u-" + random.nextInt(20);
                log.add(new Logged("users", out, event("signed-out", out, s, START.plusSeconds(s + 2), Map.of())));
            }
        }
        log.add(new Logged("sessions", "bad", "not json".getBytes(StandardCharsets.UTF_8)));
        long sessions = log.stream().filter(l -> l.topic().equals("sessions")).count();
        long users = log.size() - sessions;
        RunDescriptor run = new RunDescriptor("r", "demo", "digest", 1, START.toString(), List.of(
                new RunDescriptor.Bound("sessions", 0, 0, sessions - 1, sessions),
                new RunDescriptor.Bound("users", 0, 0, users - 1, users)));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "verify-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        ShareStats stats = new ShareStats("test");
        try (TopologyTestDriver driver = new TopologyTestDriver(ShareTopology.build(engine, run, null, null, stats,
                new PrintWriter(new StringWriter()), props), props)) {
            Map<String, TestInputTopic<byte[], byte[]>> inputs = Map.of(
                    "sessions", driver.createInputTopic("sessions", new ByteArraySerializer(), new ByteArraySerializer()),
                    "users", driver.createInputTopic("users", new ByteArraySerializer(), new ByteArraySerializer()));
            for (Logged logged : log) {
                inputs.get(logged.topic()).pipeInput(logged.key().getBytes(StandardCharsets.UTF_8), logged.value());
            }
            // Past the run's bound: not part of it.
            inputs.get("sessions").pipeInput("late".getBytes(StandardCharsets.UTF_8),
                    event("started", "late", 1, START, Map.of("user", "u-0")));

            KeyValueStore<String, byte[]> entries = driver.getKeyValueStore(ShareTopology.ENTRIES);
            KeyValueStore<String, Long> tags = driver.getKeyValueStore(ShareTopology.TAGS);
            KeyValueStore<String, Long> marks = driver.getKeyValueStore(ShareTopology.MARKS);
            long now = START.plusSeconds(3_600).toEpochMilli();
            Map<String, EntrySnapshot> folded = new TreeMap<>();
            new StreamedProjection(engine, new StreamsEntryStore(entries, tags)).forEachExpected(now, folded::put);

            assertThat(folded).isEqualTo(new TreeMap<>(new ReferenceProjection(engine).project(decoded(log), now)));
            assertThat(folded).doesNotContainKey("demo:session:{late}").isNotEmpty();
            assertThat(marks.get("end:sessions-0")).isNotNull();
            assertThat(marks.get("end:users-0")).isNotNull();
            assertThat(stats.poisonCount()).isOne();
            assertThat(stats.readCount()).isEqualTo(log.size());
        }
    }

    private static List<LoggedEvent> decoded(List<Logged> log) {
        LoggedEvents events = new LoggedEvents();
        List<LoggedEvent> decoded = new ArrayList<>();
        for (Logged logged : log) {
            events.of(logged.topic(), logged.key().getBytes(StandardCharsets.UTF_8), logged.value(), new RecordHeaders(), 0)
                    .ifPresent(decoded::add);
        }
        return decoded;
    }
}
