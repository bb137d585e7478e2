package io.cachep.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.producer.scenario.DemoEvent;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.producer.scenario.ScenarioSizes;
import io.cachep.producer.scenario.Scenarios;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers with an L1 behind the real projector, broker and redis-server, while the demo's event mix (every kind of
 * write: upserts, merges, deletes, invalidations, expiry refreshes, set and sorted-set members, tag invalidations,
 * with duplicates, reordering and poison) flows: no reader ever gets an older version of an entry after a newer one,
 * and once the projector has applied everything, the L1 serves exactly what Redis holds within the tracking bound.
 */
@ExtendWith(DevStackExtension.class)
class ReadsUnderLiveProjectorIT {
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(2);

    @Test
    void shouldNeverGoBackAVersionAndServeWhatRedisHoldsOnceApplied(DevStack stack, TestIsolation isolation,
                                                                    @TempDir Path dir) throws Exception {
        Set<String> changed = ConcurrentHashMap.newKeySet();
        try (LiveProjector projector = new LiveProjector(stack, isolation, dir);
             CachepClient client = CachepClient.builder().redisUri(stack.redisUri()).namespace(projector.namespace())
                     .invalidationListener(changed::add).divergenceInterval(Duration.ZERO).build();
             CachepClient redisOnly = CachepClient.builder().redisUri(stack.redisUri()).namespace(projector.namespace())
                     .l1MaxEntries(0).build()) {
            AtomicBoolean producing = new AtomicBoolean(true);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Thread reader = new Thread(() -> readMonotonically(client, changed, producing, failures), "reader-" + r);
                reader.start();
                readers.add(reader);
            }

            long seed = System.nanoTime();
            // A small population, so readers keep hitting the entries the events keep changing.
            FaultInjector events = new FaultInjector(Scenarios.create("mixed", seed, new ScenarioSizes(30, 20, 3)),
                    seed, 0.1, 0.1, 0.01);
            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < until) {
                for (int i = 0; i < 20; i++) {
                    events.next(Instant.now()).forEach(projector::send);
                }
                Thread.sleep(20);  // pacing the producer (~1,000 events/s), not waiting for a result
            }
            events.drain().forEach(projector::send);
            projector.awaitCaughtUp(Duration.ofSeconds(120));
            producing.set(false);
            for (Thread reader : readers) {
                reader.join(10_000);
            }
            assertThat(failures).as("seed %d", seed).isEmpty();

            assertThat(changed).as("the projector's writes reached the client as invalidations").hasSizeGreaterThan(50);
            Awaitility.await().atMost(SERVED_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> {
                        for (String key : changed) {
                            assertThat(content(readAsWritten(client, key))).as(key)
                                    .isEqualTo(content(readAsWritten(redisOnly, key)));
                        }
                    });
            assertThat(client.stats().l1Hits()).as("the L1 served reads").isPositive();
            assertThat(client.sampleDivergence()).isZero();
        }
    }

    @Test
    void shouldAwaitTheVersionOfAnEventJustPublishedAndTimeOutOnOneNeverSent(DevStack stack, TestIsolation isolation,
                                                                           @TempDir Path dir) throws Exception {
        try (LiveProjector projector = new LiveProjector(stack, isolation, dir);
             CachepClient client = CachepClient.builder().redisUri(stack.redisUri()).namespace(projector.namespace())
                     .build()) {
            String key = "session:{s-await}";
            String data = "{\"userId\":\"u-await\",\"device\":\"web\",\"tenantId\":\"t-await\"}";
            assertThat(client.hash(key).present()).isFalse();  // the L1 now holds its absence

            projector.send("session-events", "com.example.session.started", "s-await", 3, data);
            assertThat(client.awaitVersion(key, 3, Duration.ofSeconds(60))).isTrue();
            Read<Map<String, String>> session = client.hash(key);
            assertThat(session.version()).hasValue(3);
            assertThat(session.value()).hasValueSatisfying(fields -> assertThat(fields).containsEntry("device", "web"));

            assertThat(client.awaitVersion(key, 4, Duration.ofMillis(500))).as("version 4 was never sent").isFalse();

            projector.send("session-events", "com.example.session.ended", "s-await", 4, data);
            assertThat(client.awaitVersion(key, 4, Duration.ofSeconds(60))).isTrue();
            Read<Map<String, String>> ended = client.hash(key);
            assertThat(ended.present()).as("ended sessions are deleted").isFalse();
            assertThat(ended.version()).hasValue(4);
            // The member the same event removed, read through the L1 too.
            assertThat(client.set("user:{u-await}:sessions").present()).isFalse();
        }
    }

    /** Reads random changed entries until the producer stops, each reader checking its versions never go back. */
    private static void readMonotonically(CachepClient client, Set<String> changed, AtomicBoolean producing,
                                          List<Throwable> failures) {
        Map<String, Long> seen = new HashMap<>();
        try {
            while (producing.get()) {
                List<String> keys = new ArrayList<>(changed);
                if (keys.isEmpty()) {
                    Thread.onSpinWait();
                    continue;
                }
                String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                Read<?> read = readAsWritten(client, key);
                if (read.version().isPresent()) {
                    long version = read.version().getAsLong();
                    Long before = seen.put(key, version);
                    if (before != null && version < before) {
                        failures.add(new AssertionError(key + " went back from version " + before + " to " + version));
                    }
                }
            }
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    /** What a read says of the entry, whichever layer served it. */
    private static List<Object> content(Read<?> read) {
        return List.of(read.value(), read.version());
    }

    /** Reads an entry of the demo's rules as the kind its rule writes. */
    static Read<?> readAsWritten(CachepClient client, String key) {
        if (key.endsWith(":card")) {
            return client.json(key);
        }
        if (key.endsWith(":initials")) {
            return client.string(key);
        }
        if (key.endsWith(":sessions")) {
            return client.set(key);
        }
        if (key.endsWith(":participants")) {
            return client.sortedSet(key);
        }
        return client.hash(key);
    }
}
