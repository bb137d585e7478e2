package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.VerificationRecord;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.ProjectorApp;
import io.cachep.rules.KeyLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code verify --follow --repair --execute} beside a live projector and a steady stream of events, on a real broker
 * and redis-server: in-flight writes are never reported; a tampered value is reported and repaired; a FLUSHALL is
 * reported within 10 s and repaired within 60 s, after which Redis equals the reference projection of the whole log;
 * a Redis that stops answering for a while is waited out.
 */
@ExtendWith(DevStackExtension.class)
class FollowingVerifyIT {
    private static final int LOADED = 10_000;
    private static final int ITEMS = 2_000;
    private static final Duration REPORTED_WITHIN = Duration.ofSeconds(10);
    private static final Duration REPAIRED_WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReportAndRepairATamperedValueAndAFlushedRedisWhileTheProjectorRuns(DevStack stack, TestIsolation isolation,
                                                                                  @TempDir Path dir) throws Exception {
        try (RedisServer ownRedis = RedisServer.start(RedisServer.Options.defaults())) { // this test pauses it
            run(TestDeployment.create(stack, isolation, dir, RebuildBesideProjectorIT.FIXED_RULES, 3, 1)
                    .onRedis(ownRedis.uri()), ownRedis, stack);
        }
    }

    private void run(TestDeployment deployment, RedisServer ownRedis, DevStack stack) throws Exception {
        ItemEvents events = new ItemEvents(deployment.topic(), new Random(11), ITEMS);
        KeyLayout layout = new KeyLayout(deployment.namespace());
        try (ProjectorApp projector = deployment.projector();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     stack.bootstrapServers(), "linger.ms", "5"), new StringSerializer(), new ByteArraySerializer());
             RedisTarget redis = deployment.redis()) {
            projector.start();
            int sent = events.load(producer, LOADED);
            producer.flush();
            ConvergenceChecks.awaitHandled(projector, sent);

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            VerifyCommand command = new VerifyCommand(deployment.env());
            CommandLine cli = ErrorHandler.configure(new CommandLine(command));
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            AtomicInteger exit = new AtomicInteger(-1);
            Thread following = new Thread(() -> exit.set(cli.execute("--follow", "--repair", "--execute", "-o", "json")),
                    "verify-follow");
            following.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> err.toString().contains("following the log"));

            // The demo's kind of traffic, a few hundred events a second, for the rest of the test.
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicBoolean paused = new AtomicBoolean(false);
            AtomicInteger trafficSent = new AtomicInteger();
            Thread traffic = new Thread(() -> {
                while (producing.get()) {
                    if (!paused.get()) {
                        events.next().forEach(record -> {
                            producer.send(record);
                            trafficSent.incrementAndGet();
                        });
                    }
                    sleepQuietly(2);
                }
            }, "traffic");
            traffic.start();
            try {
                // While the projector applies them, nothing in flight is reported.
                Awaitility.await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10))
                        .until(() -> lines(out, "divergent").isEmpty());

                // A tampered value, with the traffic paused so that no event of its own writes the field back.
                paused.set(true);
                producer.flush();
                ConvergenceChecks.awaitHandled(projector, sent + trafficSent.get());
                String tampered = layout.entry("profile:{p-7}").data();
                assertThat(redis.sync().exists(tampered)).isOne();
                redis.sync().hset(tampered, "f0", "tampered");
                Awaitility.await().atMost(REPORTED_WITHIN).until(() -> reported(out, tampered));
                Awaitility.await().atMost(REPAIRED_WITHIN).until(() -> lines(out, "equal").stream()
                        .anyMatch(line -> line.get("key").asText().equals(tampered) && line.get("repaired").asBoolean()));

                // Redis stops answering for a while: the follower waits it out, saying so once, and goes on.
                ownRedis.pause();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("a pass failed"));
                ownRedis.resume();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("answer again"));
                assertThat(following.isAlive()).as(err.toString()).isTrue();

                paused.set(false);
                redis.sync().flushall();
                Instant flushed = Instant.now();
                Awaitility.await().atMost(REPORTED_WITHIN).until(() -> lines(out, "divergent").stream()
                        .anyMatch(line -> line.get("kind").asText().equals("MISSING")));
                assertThat(err.toString()).contains("sweeping every entry now");
                // The projector's gauge shows it too, by kind, from the follower's record.
                Awaitility.await().atMost(REPORTED_WITHIN).until(() -> divergenceGauge(projector, "missing") > 0);
                producing.set(false);
                traffic.join();
                producer.flush();

                Awaitility.await().atMost(REPAIRED_WITHIN.minus(Duration.between(flushed, Instant.now())))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> equalsTheModel(deployment, redis, layout));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                        VerificationRecord.divergent(redis.sync(), layout).orElse(-1) == 0);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> divergenceGauge(projector, "all") == 0);
            } finally {
                producing.set(false);
                traffic.join();
                command.stopFollowing();
                following.join(Duration.ofSeconds(30).toMillis());
            }
            assertThat(exit.get()).as(err.toString()).isZero();
            assertThat(lines(out, "divergent")).as("a tampered value and a flush: reported, then repaired")
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(lines(out, "equal").stream()
                            .anyMatch(e -> e.get("key").equals(line.get("key")))).as(line.toString()).isTrue());
            assertThat(lines(out, "repair-did-not-hold")).isEmpty();
        }
    }

    /** {@code cachep_cache_divergence{kind}} as the projector's /metrics serves it. */
    private static double divergenceGauge(ProjectorApp projector, String kind) {
        return projector.registry().get("cachep.cache.divergence").tag("kind", kind).gauge().value();
    }

    private static boolean reported(StringWriter out, String key) {
        return lines(out, "divergent").stream().anyMatch(line -> line.get("key").asText().equals(key));
    }

    private static List<JsonNode> lines(StringWriter out, String state) {
        List<JsonNode> found = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (node.get("state").asText().equals(state)) {
                    found.add(node);
                }
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return found;
    }

    /** Redis against the reference projection of the whole log, read here. */
    private static boolean equalsTheModel(TestDeployment deployment, RedisTarget redis, KeyLayout layout) {
        return RedisSnapshots.read(redis, layout).equals(ModelOfTheLog.read(deployment).expected());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
