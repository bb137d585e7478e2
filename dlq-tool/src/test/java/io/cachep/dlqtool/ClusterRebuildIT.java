package io.cachep.dlqtool;

import static io.cachep.dlqtool.ConvergenceChecks.awaitEqual;
import static io.cachep.dlqtool.ConvergenceChecks.awaitHandled;
import static io.cachep.dlqtool.ConvergenceChecks.handled;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisTarget;
import io.cachep.apply.RedisTarget.Primary;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.dlqtool.rebuild.RebuildCheckpoint;
import io.cachep.projector.ProjectorApp;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.TagKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's rebuild on six real Redis Cluster nodes beside a running projector: a rule was wrong (a misnamed field,
 * a stray key per item), and Redis lost entries on every primary, profile data, the registry of slots of one tag and an
 * index shard of another. With the fixed rules deployed and events still arriving, {@code rebuild --execute} is killed
 * in the middle of a primary's scan and run again: it resumes there, and ends equal to the model of the log, the shadow
 * gone from every primary; then an {@code invalidate-tag} from the log reaches every item of the tenant, those whose
 * registrations Redis had lost included, because the rebuild carried the shadow's per-slot registrations over.
 */
@ExtendWith(DevStackExtension.class)
class ClusterRebuildIT {
    private static final int ITEMS = 600;

    @Test
    void shouldRebuildBesideTheProjectorResumeMidPrimaryAndCarryTagsPerShard(DevStack stack, TestIsolation isolation,
                                                                            @TempDir Path dir) throws Exception {
        try (RedisCluster cluster = RedisCluster.start(RedisCluster.Options.defaults())) {
            TestDeployment deployment = TestDeployment.create(stack, isolation, dir, RebuildBesideProjectorIT.WRONG_RULES, 3, 1)
                    .onCluster(cluster.uri());
            String namespace = deployment.namespace();
            Map<String, String> env = deployment.env();
            KeyLayout live = new KeyLayout(namespace);
            try (RedisTarget redis = deployment.redis();
                 KafkaProducer<String, byte[]> producer = ClusterOperatorIT.producer(stack)) {
                // Enough entries that each primary's scan takes several batches, so a checkpoint can fall inside one.
                ItemEvents events = new ItemEvents(deployment.topic(), new Random(21), ITEMS);
                long sent = ClusterOperatorIT.send(producer, events, 2500);
                try (ProjectorApp wrong = deployment.projector()) {
                    wrong.start();
                    awaitHandled(wrong, sent);
                }
                assertThat(redis.sync().exists(live.entry("legacy:{i-1}").data())).as("the wrong rule's stray key").isOne();

                deployment.writeRules(RebuildBesideProjectorIT.FIXED_RULES);
                damage(redis, live);

                try (ProjectorApp fixed = deployment.projector()) {
                    fixed.start();
                    Traffic traffic = new Traffic(producer, events);
                    Thread producing = new Thread(traffic, "traffic");
                    producing.start();
                    Awaitility.await().atMost(ConvergenceChecks.CATCH_UP).until(() -> handled(fixed) > 100);

                    RebuildCommand killed = new RebuildCommand(env);
                    killed.afterCheckpoint = killMidPrimary(redis, live);
                    Result first = CliRun.run(killed, "--namespace", namespace, "--execute");
                    assertThat(first.exit()).as(first.both()).isEqualTo(ExitCodes.FAILED);
                    assertThat(first.err()).contains("killed in the middle of a primary's scan");

                    Result rebuilt = CliRun.run(new RebuildCommand(env), "--namespace", namespace, "--execute");
                    traffic.stop();
                    producing.join();
                    assertThat(rebuilt.exit()).as(rebuilt.both()).isZero();
                    assertThat(rebuilt.err()).contains("resuming the rebuild started at").contains("(phase drop)");
                    assertThat(rebuilt.out()).containsPattern("dropped \\(the log does not imply them\\)\\s+[1-9]");
                    assertThat(traffic.sent.get()).as("events sent while the rebuild ran").isPositive();

                    Result equal = awaitEqual(env);
                    assertThat(equal.exit()).as(equal.both()).isZero();
                    assertThat(redis.sync().exists(live.entry("legacy:{i-1}").data())).isZero();
                    assertThat(redis.sync().exists(live.entry("ghost:{g-1}").data())).isZero();
                    assertThat(redis.primariesWithSlotsNow()).as("the shadow is removed from every primary")
                            .allSatisfy(primary -> assertThat(primary.commands().keys(namespace + ":~rebuild*")).isEmpty());

                    // The tags the rebuild carried over: an invalidation now reaches every item of both tenants.
                    assertThat(items(redis, live, "t-0")).isNotEmpty();
                    assertThat(items(redis, live, "t-1")).isNotEmpty();
                    ClusterOperatorIT.send(producer, List.of(events.flush("t-0"), events.flush("t-1")));
                    Result flushed = awaitEqual(env);
                    assertThat(flushed.exit()).as(flushed.both()).isZero();
                    assertThat(items(redis, live, "t-0")).as("items of t-0 left after its flush").isEmpty();
                    assertThat(items(redis, live, "t-1")).as("items of t-1 left after its flush").isEmpty();
                    assertThat(items(redis, live, "t-2")).isNotEmpty();
                }
            }
        }
    }

    /**
     * Redis loses data on every primary: entries with their fences, profile data (fences kept), the registry of slots
     * of tenant t-0 (its invalidations would visit no shard), one index shard of tenant t-1; and a key is written by hand.
     */
    private static void damage(RedisTarget redis, KeyLayout live) {
        for (int i = 0; i < ITEMS; i += 5) {
            redis.sync().del(live.entry("item:{i-" + i + "}").data(), live.entry("item:{i-" + i + "}").fence());
        }
        for (int i = 0; i < ItemEvents.PROFILES; i += 4) {
            redis.sync().del(live.entry("profile:{p-" + i + "}").data());
        }
        TagKey t0 = live.tag("tenant:{t-0}");
        assertThat(redis.sync().del(live.tagSlots(t0))).as("t-0's registry of slots").isOne();
        TagKey t1 = live.tag("tenant:{t-1}");
        String shard = null;
        for (Primary primary : redis.primariesWithSlotsNow()) {
            for (String key : primary.commands().keys(live.namespace() + ":~tagshard:*")) {
                if (key.endsWith(":" + t1.name())) {
                    shard = key;
                }
            }
        }
        assertThat(shard).as("an index shard of t-1").isNotNull();
        assertThat(redis.sync().del(shard)).isOne();
        redis.sync().set(live.entry("ghost:{g-1}").data(), "written by hand");
    }

    /** Stops the rebuild at the first checkpoint in the drop pass that stands inside one primary's scan. */
    private static Runnable killMidPrimary(RedisTarget redis, KeyLayout live) {
        String key = RebuildCheckpoint.key(live.shadow());
        return () -> {
            Map<String, String> checkpoint = redis.sync().hgetall(key);
            if ("DROP".equals(checkpoint.get("phase")) && checkpoint.getOrDefault("cursor", "").contains(";node=")) {
                throw new IllegalStateException("killed in the middle of a primary's scan");
            }
        };
    }

    /** The items of a tenant that exist now. */
    private static List<String> items(RedisTarget redis, KeyLayout live, String tenant) {
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            String key = live.entry("item:{i-" + i + "}").data();
            if (ItemEvents.tenantOf(i).equals(tenant) && redis.sync().exists(key) == 1) {
                existing.add(key);
            }
        }
        return existing;
    }

    /** Events sent one after another until stopped. */
    private static final class Traffic implements Runnable {
        final AtomicLong sent = new AtomicLong();
        private final KafkaProducer<String, byte[]> producer;
        private final ItemEvents events;
        private final AtomicBoolean running = new AtomicBoolean(true);

        Traffic(KafkaProducer<String, byte[]> producer, ItemEvents events) {
            this.producer = producer;
            this.events = events;
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    sent.addAndGet(ClusterOperatorIT.send(producer, events.next()));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void stop() {
            running.set(false);
        }
    }
}
