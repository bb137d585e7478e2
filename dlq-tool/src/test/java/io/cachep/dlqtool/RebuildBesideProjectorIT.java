package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.ProjectorApp;
import io.cachep.rules.KeyLayout;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebuild the runbook describes, end to end through a real broker, projector and redis-server: a rule was wrong
 * (the projector wrote a misnamed field and a stray key), and Redis lost data (entries, fences of profile fields, a
 * tag index). The fixed rules are deployed to the projector; then {@code rebuild --execute} runs while events keep
 * arriving (reordered and duplicated) and the projector applies them, and a reader polls the entries throughout: no
 * read ever sees an item's version or a profile field's version go backwards, or an entry vanish that the log did not
 * delete. Afterwards {@code verify} reports equal, and a tag invalidation reaches entries the rebuild restored.
 */
@ExtendWith(DevStackExtension.class)
class RebuildBesideProjectorIT {
    static final String FIXED_RULES = """
            namespace: ${namespace}
            rules:
              - name: item-saved
                topic: ${topic}
                type: saved
                mutations:
                  - upsert: { key: "item:{subject}", hash: { version: "{data.version}", name: "{data.name}" }, tags: ["tenant:{data.tenant}"] }
                  - set-add: { key: "tenant:{data.tenant}:items", member: "{subject}" }
              - name: item-removed
                topic: ${topic}
                type: removed
                mutations:
                  - delete: { key: "item:{subject}" }
                  - set-remove: { key: "tenant:{data.tenant}:items", member: "{subject}" }
              - name: profile-changed
                topic: ${topic}
                type: changed
                mutations:
                  - merge: { key: "profile:{subject}", hash-from: data }
              - name: tenant-flushed
                topic: ${topic}
                type: flushed
                mutations:
                  - invalidate-tag: { tag: "tenant:{subject}" }
            """;
    /** The wrong rules: the name lands in a misnamed field, and a stray key is written per item. */
    static final String WRONG_RULES = FIXED_RULES
            .replace("name: \"{data.name}\" }", "label: \"{data.name}\" }")
            .replace("      - set-add: { key: \"tenant:{data.tenant}:items\", member: \"{subject}\" }",
                    "      - set-add: { key: \"tenant:{data.tenant}:items\", member: \"{subject}\" }\n"
                            + "      - upsert: { key: \"legacy:{subject}\", json: \"{data}\" }");
    private static final int ITEMS = ItemEvents.ITEMS;
    private static final int PROFILES = ItemEvents.PROFILES;
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @Test
    void shouldRebuildBesideARunningProjectorWithoutAReaderSeeingARegression(DevStack stack, TestIsolation isolation,
                                                                            @TempDir Path dir) throws Exception {
        assertThat(WRONG_RULES).contains("label:").contains("legacy:");
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, WRONG_RULES, 3, 1);
        String namespace = deployment.namespace();
        Map<String, String> env = deployment.env();
        KeyLayout live = new KeyLayout(namespace);

        RedisClient client = RedisClient.create(stack.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            RedisCommands<String, String> redis = connection.sync();
            Traffic traffic = new Traffic(producer, deployment.topic(), new Random());
            for (int i = 0; i < 1500; i++) {
                traffic.sendOne();
            }
            try (ProjectorApp wrong = deployment.projector()) {
                wrong.start();
                Awaitility.await().atMost(CATCH_UP).until(() -> handled(wrong) >= traffic.sent.get());
            }
            assertThat(redis.exists(live.entry("legacy:{i-1}").data())).as("the wrong rule wrote its stray key").isOne();

            // The fix is deployed, then Redis loses data.
            deployment.writeRules(FIXED_RULES);
            for (int i = 0; i < ITEMS; i += 5) {
                redis.del(live.entry("item:{i-" + i + "}").data(), live.entry("item:{i-" + i + "}").fence());
            }
            for (int i = 0; i < PROFILES; i += 4) {
                redis.del(live.entry("profile:{p-" + i + "}").data()); // the fence says its fields are there
            }
            redis.del(live.tag("tenant:{t-0}").index());
            redis.set(live.entry("ghost:{g-1}").data(), "written by hand");

            try (ProjectorApp fixed = deployment.projector()) {
                fixed.start();
                Reader reader = new Reader(client.connect().sync(), live, traffic.removed());
                Thread producing = new Thread(traffic, "traffic");
                Thread reading = new Thread(reader, "reader");
                producing.start();
                reading.start();
                long handledBefore = traffic.sent.get();
                Awaitility.await().atMost(CATCH_UP).until(() -> traffic.sent.get() > handledBefore + 100 && handled(fixed) > 100);

                long readsBefore = reader.reads.get();
                long appliedBefore = handled(fixed);
                CliRun.Result rebuilt = rebuild(env, namespace);
                long readsDuring = reader.reads.get() - readsBefore;
                long appliedDuring = handled(fixed) - appliedBefore;

                traffic.stop();
                producing.join();
                assertThat(rebuilt.exit()).as(rebuilt.both()).isZero();
                CliRun.Result verified = awaitEqual(env); // the projector catches up with the last events
                reader.stop();
                reading.join();

                assertThat(reader.violations).as("reads that went backwards or lost an entry").isEmpty();
                assertThat(verified.exit()).as(verified.both()).isZero();
                assertThat(rebuilt.out()).as(rebuilt.both()).containsPattern("promoted\\s+[1-9]")
                        .containsPattern("dropped \\(the log does not imply them\\)\\s+[1-9]");
                assertThat(readsDuring).as("reads while the rebuild ran").isGreaterThan(100);
                assertThat(appliedDuring).as("events the projector applied while the rebuild ran").isPositive();
                assertThat(redis.exists(live.entry("legacy:{i-1}").data(), live.entry("ghost:{g-1}").data())).isZero();
                assertThat(redis.keys(namespace + ":~rebuild*")).isEmpty();

                // The tag index the rebuild restored: an invalidation now reaches every item of the tenant.
                traffic.flushTenant("t-0");
                CliRun.Result flushed = awaitEqual(env);
                assertThat(flushed.exit()).as(flushed.both()).isZero();
                assertThat(redis.exists(live.entry("item:{i-0}").data(), live.entry("item:{i-3}").data())).isZero();
            }
        } finally {
            client.shutdown();
        }
    }

    /** Runs verify until it reports equal or the deadline passes; the last run either way. */
    private static CliRun.Result awaitEqual(Map<String, String> env) {
        CliRun.Result[] last = new CliRun.Result[1];
        try {
            Awaitility.await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(1))
                    .until(() -> (last[0] = CliRun.run(new VerifyCommand(env))).exit() == 0);
        } catch (ConditionTimeoutException e) {
            // reported by the caller's assertion on the last run
        }
        return last[0];
    }

    private static CliRun.Result rebuild(Map<String, String> env, String namespace) {
        return CliRun.run(new RebuildCommand(env), "--namespace", namespace, "--execute");
    }

    /** Events the projector has handled, whatever the outcome. */
    private static long handled(ProjectorApp projector) {
        long total = 0;
        for (String outcome : List.of("applied", "duplicate", "stale", "expired", "dlq", "ignored")) {
            total += projector.metrics().count(outcome);
        }
        return total;
    }

    /** Sends {@link ItemEvents}, one by one, each acknowledged by the broker, until stopped. */
    private static final class Traffic implements Runnable {
        final AtomicLong sent = new AtomicLong();
        private final KafkaProducer<String, byte[]> producer;
        private final ItemEvents events;
        private final AtomicBoolean running = new AtomicBoolean(true);

        Traffic(KafkaProducer<String, byte[]> producer, String topic, Random random) {
            this.producer = producer;
            this.events = new ItemEvents(topic, random);
        }

        @Override
        public void run() {
            while (running.get()) {
                sendOne();
            }
        }

        void stop() {
            running.set(false);
        }

        /** The next event (sometimes none: held back to follow the entity's next; sometimes two). */
        void sendOne() {
            events.next().forEach(this::send);
        }

        void flushTenant(String tenant) {
            send(events.flush(tenant));
        }

        Set<String> removed() {
            return events.removed();
        }

        private void send(ProducerRecord<String, byte[]> record) {
            try {
                producer.send(record).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            sent.incrementAndGet();
        }
    }

    /**
     * Polls every item and profile, remembering the highest version it has seen of each item and of each profile
     * field: a lower one later, or an entry or field gone that the log did not remove, is a violation.
     */
    private static final class Reader implements Runnable {
        final AtomicLong reads = new AtomicLong();
        final List<String> violations = new CopyOnWriteArrayList<>();
        private final RedisCommands<String, String> redis;
        private final KeyLayout live;
        private final Set<String> removed;
        private final Map<String, Long> seen = new HashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);

        Reader(RedisCommands<String, String> redis, KeyLayout live, Set<String> removed) {
            this.redis = redis;
            this.live = live;
            this.removed = removed;
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    for (int i = 0; i < ITEMS; i++) {
                        readItem("i-" + i);
                    }
                    for (int i = 0; i < PROFILES; i++) {
                        readProfile("p-" + i);
                    }
                }
            } finally {
                redis.getStatefulConnection().close();
            }
        }

        void stop() {
            running.set(false);
        }

        private void readItem(String item) {
            Map<String, String> entry = redis.hgetall(live.entry("item:{" + item + "}").data());
            reads.incrementAndGet();
            check(item, entry.isEmpty() ? null : Long.parseLong(entry.get("version")), removed.contains(item));
        }

        private void readProfile(String profile) {
            Map<String, String> entry = redis.hgetall(live.entry("profile:{" + profile + "}").data());
            reads.incrementAndGet();
            List<String> fields = new ArrayList<>();
            seen.keySet().stream().filter(key -> key.startsWith(profile + ".")).forEach(fields::add);
            entry.keySet().forEach(field -> fields.add(profile + "." + field));
            for (String field : fields) {
                String value = entry.get(field.substring(profile.length() + 1));
                check(field, value == null ? null : Long.parseLong(value), false);
            }
        }

        private void check(String what, Long version, boolean mayVanish) {
            Long before = seen.get(what);
            if (version == null) {
                if (before != null && !mayVanish) {
                    violations.add(what + " vanished after version " + before);
                }
                return;
            }
            if (before != null && version < before) {
                violations.add(what + " went from version " + before + " back to " + version);
            }
            seen.merge(what, version, Math::max);
        }
    }
}
