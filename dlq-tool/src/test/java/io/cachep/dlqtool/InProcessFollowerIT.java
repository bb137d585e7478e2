package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.VerificationRecord;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.ProjectorApp;
import io.cachep.rules.KeyLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code projector.verify.follow}: two projector instances, both configured to follow, on a real broker and
 * redis-server. One follows and the other stands by (one lease); a tampered value and a {@code FLUSHALL} show in
 * {@code cachep_cache_divergence} within 10 s and, with {@code projector.verify.follow.repair}, Redis equals the
 * reference projection of the whole log within 60 s; when the following instance stops, the other takes over.
 */
@ExtendWith(DevStackExtension.class)
class InProcessFollowerIT {
    private static final int LOADED = 6_000;
    private static final int ITEMS = 1_500;
    private static final Duration REPORTED_WITHIN = Duration.ofSeconds(10);
    private static final Duration REPAIRED_WITHIN = Duration.ofSeconds(60);
    private static final String[] FOLLOWING = {"PROJECTOR_VERIFY_FOLLOW", "true", "PROJECTOR_VERIFY_FOLLOW_REPAIR", "true"};

    @Test
    void shouldReportAndRepairInTheProjectorWithOneFollowerAtATime(DevStack stack, TestIsolation isolation,
                                                                    @TempDir Path dir) throws Exception {
        try (RedisServer ownRedis = RedisServer.start(RedisServer.Options.defaults())) { // this test flushes it
            TestDeployment deployment = TestDeployment.create(stack, isolation, dir, RebuildBesideProjectorIT.FIXED_RULES,
                    3, 1).onRedis(ownRedis.uri());
            ItemEvents events = new ItemEvents(deployment.topic(), new Random(17), ITEMS);
            KeyLayout layout = new KeyLayout(deployment.namespace());
            try (ProjectorApp first = deployment.projector(FOLLOWING);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                         stack.bootstrapServers(), "linger.ms", "5"), new StringSerializer(), new ByteArraySerializer());
                 RedisTarget redis = deployment.redis()) {
                first.start();
                int sent = events.load(producer, LOADED);
                producer.flush();
                ConvergenceChecks.awaitHandled(first, sent);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                        VerificationRecord.divergent(redis.sync(), layout).isPresent());
                String firstHolder = redis.sync().get(layout.followLease());
                assertThat(firstHolder).as("the following instance's lease").startsWith("projector ");
                // A projector at rest, Redis equal: nothing divergent (the gauge reads the record every second).
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> divergence(first, "all") == 0);

                try (ProjectorApp second = deployment.projector(FOLLOWING)) {
                    second.start();
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                            second.state() == KafkaStreams.State.RUNNING);
                    assertThat(redis.sync().get(layout.followLease())).as("one follows, the other stands by")
                            .isEqualTo(firstHolder);

                    // A tampered value, repaired: no event writes it meanwhile, so only the follower can have. (Its count
                    // in the gauge may last a single pass: the flush below checks the gauge.)
                    String tampered = layout.entry("profile:{p-3}").data();
                    Map<String, String> before = redis.sync().hgetall(tampered);
                    assertThat(before).isNotEmpty();
                    redis.sync().hset(tampered, before.keySet().iterator().next(), "tampered");
                    Awaitility.await().atMost(REPORTED_WITHIN.plus(REPAIRED_WITHIN))
                            .until(() -> before.equals(redis.sync().hgetall(tampered)));

                    // A FLUSHALL: reported within 10 s, restored within 60 s.
                    redis.sync().flushall();
                    Instant flushed = Instant.now();
                    Awaitility.await().atMost(REPORTED_WITHIN).until(() -> divergence(first, "missing") > 0);
                    Awaitility.await().atMost(REPAIRED_WITHIN.minus(Duration.between(flushed, Instant.now())))
                            .pollInterval(Duration.ofSeconds(1)).until(() -> equalsTheModel(deployment, redis, layout));
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> divergence(first, "all") == 0);

                    // The following instance stops: the other takes over and finds what goes wrong next.
                    String holder = redis.sync().get(layout.followLease());
                    first.close();
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                        String now = redis.sync().get(layout.followLease());
                        return now != null && !now.equals(holder);
                    });
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                            VerificationRecord.divergent(redis.sync(), layout).orElse(-1) == 0);
                    String lost = layout.entry("profile:{p-5}").data();
                    assertThat(redis.sync().del(lost)).isOne();
                    // No event writes it again: only the follower's repair can bring it back.
                    Awaitility.await().atMost(REPORTED_WITHIN.plus(REPAIRED_WITHIN)).until(() -> redis.sync().exists(lost) == 1);
                    assertThat(equalsTheModel(deployment, redis, layout)).isTrue();
                }
            }
        }
    }

    /** {@code cachep_cache_divergence{kind}} as a projector's /metrics serves it. */
    private static double divergence(ProjectorApp projector, String kind) {
        return projector.registry().get("cachep.cache.divergence").tag("kind", kind).gauge().value();
    }

    private static boolean equalsTheModel(TestDeployment deployment, RedisTarget redis, KeyLayout layout) {
        return RedisSnapshots.read(redis, layout).equals(ModelOfTheLog.read(deployment).expected());
    }
}
